import type { Rng } from '../../core/index.ts';
import type { Entities } from '../../core/index.ts';
import { arrivals, constantRate } from '../common/rate/index.ts';
import type { EntityPools, GeneratedEvent, IncidentGenerator, IncidentRequest } from '../types.ts';
import { DISK_FULL_LINES } from './data.ts';
import { hostLine, takePid } from './host-model.ts';
import { labelOf, hostsOf, webHost } from './incident-support.ts';

function fill(text: string, c: Rng, t: number, pid: number): string {
  return text
    .replace('{hex}', c.hex(12))
    .replace('{pid}', String(pid))
    .replace('{iso}', new Date(t).toISOString().replace(/\.\d+Z$/, `.${c.int(100000000, 999999999)}Z`))
    .replace('{num}', String(c.int(100000000, 999999999)))
    .replace('{date}', new Date(t).toISOString().slice(0, 10).replaceAll('-', ''));
}

function* diskFull(rng: Rng, pools: EntityPools, req: IncidentRequest): Generator<GeneratedEvent> {
  const host = webHost(hostsOf(rng, pools), req.entities.instance ?? req.entities.host);
  const label = labelOf(req);
  const c = rng.fork('content');
  const workerPid = host.nextPid + c.int(100, 900);
  const pids = DISK_FULL_LINES.map((l) => (l.pidBase > 0 ? l.pidBase : workerPid));
  for (const t of arrivals(rng.fork('arrivals'), constantRate(Math.max(0.05, 1.5 * req.intensity)), req.window)) {
    // Applications that write a lot (journald, the web worker) complain most.
    const i = c.weighted([0, 1, 2, 3, 4, 5], [5, 2, 1, 6, 1, 1]);
    const l = DISK_FULL_LINES[i]!;
    const pid = l.program === 'postfix/postdrop' || l.program === 'logrotate' ? takePid(host, c, 30) : pids[i]!;
    yield hostLine(host, 'messages', t, l.program, pid, fill(l.text, c, t, pid), label);
  }
}

/**
 * A full root volume on a web host: journald, rsyslog, the web worker, docker, postfix and logrotate
 * failing with "No space left on device" in /var/log/messages. describe(): instance, host.
 */
export const ec2DiskFull: IncidentGenerator = {
  kind: 'ec2-disk-full',
  sources: ['ec2'],
  generate: diskFull,
  describe(rng, pools, req): Entities {
    const host = webHost(hostsOf(rng, pools), req.entities.instance ?? req.entities.host);
    return { instance: host.instanceId, host: host.hostname };
  },
};
