import type { Rng } from '../../core/index.ts';
import type { Entities } from '../../core/index.ts';
import { serializeVpcFlow } from '../../formats/index.ts';
import { ipInCountry } from '../common/pools.ts';
import { NOISE_COUNTRIES } from '../common/data/countries.ts';
import { arrivals, constantRate } from '../common/rate/index.ts';
import { EventQueue } from '../lambda/event-queue.ts';
import type { EntityPools, GeneratedEvent, IncidentGenerator, IncidentRequest } from '../types.ts';
import { SCANNER_USERNAMES } from './data.ts';
import { hostLine, pickHost, takePid, type Ec2Host } from './host-model.ts';
import { labelOf, hostsOf } from './incident-support.ts';

interface BruteForcePlan {
  host: Ec2Host;
  attacker: string;
}

function bruteForcePlan(rng: Rng, pools: EntityPools, req: IncidentRequest): BruteForcePlan {
  const hosts = hostsOf(rng, pools);
  const host = pickHost(hosts, req.entities.instance ?? req.entities.host);
  const er = rng.fork('entities');
  let attacker = req.entities.ip;
  if (!attacker) {
    // A hosting network in a scanner-heavy country, never one of the background's noise addresses.
    const noise = new Set(pools.internetNoise);
    do attacker = ipInCountry(er, er.weighted(NOISE_COUNTRIES.map((c) => c.country), NOISE_COUNTRIES.map((c) => c.weight)), 'hosting').ip;
    while (noise.has(attacker));
  }
  return { host, attacker };
}

/** The VPC flow log destination of an instance's ENI, if the topology declares flow logs. */
function flowDest(pools: EntityPools, host: Ec2Host): { group: string; eni: string } | undefined {
  const g = pools.topology.pipeline.logGroups.find((l) => l.source === 'vpcflow');
  const inst = pools.estate.instances.find((i) => i.instanceId === host.instanceId);
  return g && inst ? { group: g.name, eni: inst.eniId } : undefined;
}

function* sshBruteForce(rng: Rng, pools: EntityPools, req: IncidentRequest): Generator<GeneratedEvent> {
  const { host, attacker } = bruteForcePlan(rng, pools, req);
  const label = labelOf(req);
  const c = rng.fork('content');
  const q = new EventQueue();
  const flow = req.params?.flows === false ? undefined : flowDest(pools, host);
  const rate = Math.max(0.05, 2 * req.intensity);
  let port = c.int(33000, 45000);
  const succeedAt = req.params?.succeed === true ? req.window.start + 0.8 * (req.window.end - req.window.start) : Infinity;
  let succeeded = false;
  for (const t of arrivals(rng.fork('arrivals'), constantRate(rate), req.window)) {
    yield* q.releaseUntil(t);
    const pid = takePid(host, c, 6);
    port += c.int(1, 9);
    if (port > 60999) port = 32768 + (port % 1000);
    const root = c.chance(0.3);
    const user = root ? 'root' : c.pick(SCANNER_USERNAMES);
    const invalid = !root;
    const tries = c.int(1, 6);
    let at = t;
    const line = (msg: string, gap: number) => q.push(hostLine(host, 'secure', (at += gap), 'sshd', pid, msg, label));
    if (invalid) {
      line(`Invalid user ${user} from ${attacker} port ${port}`, 0);
      line(`input_userauth_request: invalid user ${user} [preauth]`, 1);
    }
    for (let i = 0; i < tries; i++) {
      if (i === 0) {
        if (invalid) line('pam_unix(sshd:auth): check pass; user unknown', c.int(30, 120));
        line(`pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${attacker}${root ? '  user=root' : ''}`, 1);
      }
      line(`Failed password for ${invalid ? 'invalid user ' : ''}${user} from ${attacker} port ${port} ssh2`, c.int(1800, 2600));
    }
    if (tries === 6) {
      line(`error: maximum authentication attempts exceeded for ${invalid ? 'invalid user ' : ''}${user} from ${attacker} port ${port} ssh2 [preauth]`, c.int(200, 900));
      line('Disconnecting: Too many authentication failures [preauth]', 0);
    } else {
      line(`Received disconnect from ${attacker} port ${port}:11: Bye Bye [preauth]`, c.int(100, 500));
      line(`Disconnected from ${attacker} port ${port} [preauth]`, 0);
    }
    if (tries > 1) line(`PAM ${tries - 1} more authentication failure${tries > 2 ? 's' : ''}; logname= uid=0 euid=0 tty=ssh ruser= rhost=${attacker}${root ? '  user=root' : ''}`, 0);
    if (tries > 3) line(`PAM service(sshd) ignoring max retries; ${tries} > 3`, 0);
    if (!succeeded && t >= succeedAt) {
      succeeded = true;
      const p2 = pid + 7, port2 = port + 3;
      q.push(hostLine(host, 'secure', at + 900, 'sshd', p2, `Accepted password for admin from ${attacker} port ${port2} ssh2`, label));
      q.push(hostLine(host, 'secure', at + 905, 'sshd', p2, 'pam_unix(sshd:session): session opened for user admin by (uid=0)', label));
    }
    if (flow) {
      // One flow per connection (each has its own source port), both directions, published when the
      // 1-minute aggregation window closes.
      const start = Math.floor(t / 60_000) * 60;
      const end = Math.max(start + 60, Math.ceil(at / 1000));
      const dest = { kind: 'cwl' as const, logGroup: flow.group, logStream: `${flow.eni}-all` };
      const pkIn = 8 + tries * 3 + c.int(0, 4), pkOut = 7 + tries * 3 + c.int(0, 4);
      const base = { version: 2, accountId: pools.estate.accountId, interfaceId: flow.eni, protocol: 6, start, end, action: 'ACCEPT', logStatus: 'OK' };
      q.push({ time: end * 1000, source: 'vpcflow', dest, label, message: serializeVpcFlow({ ...base, srcaddr: attacker, dstaddr: host.privateIp, srcport: port, dstport: 22, packets: pkIn, bytes: pkIn * c.int(90, 160) + 1500 }) });
      q.push({ time: end * 1000, source: 'vpcflow', dest, label, message: serializeVpcFlow({ ...base, srcaddr: host.privateIp, dstaddr: attacker, srcport: 22, dstport: port, packets: pkOut, bytes: pkOut * c.int(100, 180) + 2500 }) });
    }
  }
  yield* q.drain(req.window.end);
}

/**
 * SSH password brute force against one instance from one address: OpenSSH 7.4 failure sequences in
 * /var/log/secure (invalid users and root, up to MaxAuthTries per connection) and the matching VPC flows
 * to port 22, one per connection. `params.succeed` ends it with an accepted password; `params.flows: false`
 * leaves the flows out. describe(): ip, instance, host.
 */
export const ec2SshBruteForce: IncidentGenerator = {
  kind: 'ec2-ssh-bruteforce',
  sources: ['ec2', 'vpcflow'],
  generate: sshBruteForce,
  describe(rng, pools, req): Entities {
    const { host, attacker } = bruteForcePlan(rng, pools, req);
    return { ip: attacker, instance: host.instanceId, host: host.hostname };
  },
};
