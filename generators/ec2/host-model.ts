import { ConfigError } from '../../core/index.ts';
import type { Rng } from '../../core/index.ts';
import { ec2Hostname, serializeEc2, type Ec2Stream } from '../../formats/index.ts';
import type { Destination, EntityPools, GeneratedEvent, TruthLabel } from '../types.ts';

/** One instance as its host logs show it: stable hostname, destinations and counters (pids, sessions). */
export interface Ec2Host {
  name: string;
  instanceId: string;
  privateIp: string;
  hostname: string;
  bastion: boolean;
  secure: Destination;
  messages: Destination;
  /** Next sshd pid: each connection forks a new one, so pids climb steadily. */
  nextPid: number;
  nextSession: number;
}

/** The log group of an EC2 stream as the topology declares it (`/<prefix>/ec2/secure` …). */
export function ec2LogGroup(pools: EntityPools, stream: Ec2Stream): string {
  // Debian and Ubuntu hosts name them auth.log and syslog (the ec2 format reads both namings).
  const ends = stream === 'secure' ? ['/secure', '/auth.log'] : ['/messages', '/syslog'];
  const g = pools.topology.pipeline.logGroups.find((l) => l.source === 'ec2' && ends.some((e) => l.name.endsWith(e)));
  if (!g) {
    throw new ConfigError(`topology declares no ec2 log group for ${stream}`, {
      expected: `a logGroups entry { source: 'ec2', name: '…${ends[0]}' } (or …${ends[1]})`,
      seen: pools.topology.pipeline.logGroups.filter((l) => l.source === 'ec2').map((l) => l.name).join(', ') || 'none',
    });
  }
  return g.name;
}

/** Every instance of the estate, each with pid counters seeded from `rng` (same seed → same pids). */
export function ec2Hosts(rng: Rng, pools: EntityPools): Ec2Host[] {
  const secureGroup = ec2LogGroup(pools, 'secure');
  const messagesGroup = ec2LogGroup(pools, 'messages');
  return pools.estate.instances.map((i) => {
    const r = rng.fork(i.instanceId);
    return {
      name: i.name,
      instanceId: i.instanceId,
      privateIp: i.privateIp,
      hostname: ec2Hostname(i.privateIp),
      bastion: /bastion/.test(i.name),
      secure: { kind: 'cwl', logGroup: secureGroup, logStream: i.instanceId },
      messages: { kind: 'cwl', logGroup: messagesGroup, logStream: i.instanceId },
      nextPid: r.int(2000, 30000),
      nextSession: r.int(1, 400),
    };
  });
}

/** The host an incident is about: the scenario's instance id (or name), else the bastion, else the first. */
export function pickHost(hosts: readonly Ec2Host[], wanted: string | undefined): Ec2Host {
  if (hosts.length === 0) throw new ConfigError('the estate has no EC2 instances', { expected: 'at least one estate.webInstances entry', seen: 'none' });
  if (wanted) {
    const h = hosts.find((x) => x.instanceId === wanted || x.name === wanted || x.hostname === wanted);
    if (!h) throw new ConfigError('incident names an instance the estate does not have', { expected: hosts.map((x) => x.instanceId).join(' | '), seen: wanted });
    return h;
  }
  return hosts.find((h) => h.bastion) ?? hosts[0]!;
}

/** A line of a host as a generated event (syslog lines carry whole seconds; the event keeps the ms). */
export function hostLine(host: Ec2Host, stream: Ec2Stream, time: number, program: string, pid: number | null, message: string, label?: TruthLabel): GeneratedEvent {
  const e: GeneratedEvent = {
    time,
    source: 'ec2',
    dest: stream === 'secure' ? host.secure : host.messages,
    message: serializeEc2({ stream, time, host: host.hostname, program, pid, message }),
  };
  if (label) e.label = label;
  return e;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** An OpenSSH SHA256 key fingerprint (43 base64 characters), stable for a given rng. */
export function keyFingerprint(rng: Rng): string {
  let s = '';
  for (let i = 0; i < 43; i++) s += B64[(rng.next() * 64) | 0];
  return s;
}

/** A fresh pid on the host (pids only climb: every fork takes the next free one, others fork in between). */
export function takePid(host: Ec2Host, rng: Rng, maxGap = 12): number {
  const pid = host.nextPid;
  host.nextPid += rng.int(1, maxGap);
  return pid;
}
