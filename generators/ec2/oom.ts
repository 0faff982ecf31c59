import type { Rng } from '../../core/index.ts';
import type { Entities } from '../../core/index.ts';
import type { EntityPools, GeneratedEvent, IncidentGenerator, IncidentRequest } from '../types.ts';
import { KERNEL_RELEASE, WEB_SERVICE } from './data.ts';
import { hostLine } from './host-model.ts';
import { labelOf, hostsOf, webHost } from './incident-support.ts';

function* oom(rng: Rng, pools: EntityPools, req: IncidentRequest): Generator<GeneratedEvent> {
  const host = webHost(hostsOf(rng, pools), req.entities.instance ?? req.entities.host);
  const label = labelOf(req);
  const c = rng.fork('content');
  const s = WEB_SERVICE;
  const meanGapMs = 90_000 / Math.max(0.1, req.intensity);
  let t = req.window.start + Math.round(c.next() * 10_000);
  let pid = host.nextPid + c.int(100, 900);
  while (t < req.window.end) {
    const lines: [string, number, string][] = [
      ['kernel', 0, `${s.process} invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0`],
      ['kernel', 0, `CPU: ${c.int(0, 1)} PID: ${pid} Comm: ${s.process} Not tainted ${KERNEL_RELEASE} #1`],
      ['kernel', 1, `oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/${s.unit},task=${s.process},pid=${pid},uid=${s.uid}`],
      ['kernel', 0, `Out of memory: Killed process ${pid} (${s.process}) total-vm:${c.int(2_200_000, 2_600_000)}kB, anon-rss:${c.int(1_700_000, 1_900_000)}kB, file-rss:${c.int(0, 900)}kB, shmem-rss:0kB, UID:${s.uid} pgtables:${c.int(3800, 4200)}kB oom_score_adj:0`],
      ['kernel', c.int(20, 90), `oom_reaper: reaped process ${pid} (${s.process}), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB`],
      ['systemd', c.int(1, 30), `${s.unit}: main process exited, code=killed, status=9/KILL`],
      ['systemd', 0, `Unit ${s.unit} entered failed state.`],
      ['systemd', 0, `${s.unit} failed.`],
      ['systemd', 100, `${s.unit} holdoff time over, scheduling restart.`],
      ['systemd', 1, `Stopped ${s.description}.`],
      ['systemd', 2, `Started ${s.description}.`],
    ];
    let at = t;
    for (const [program, gap, msg] of lines) {
      at += gap;
      if (at >= req.window.end) return;
      yield hostLine(host, 'messages', at, program, program === 'kernel' ? null : 1, msg, label);
    }
    pid += c.int(40, 400);
    t = Math.max(at + 1, t + Math.round(c.exponential(meanGapMs)) + 5_000);
  }
}

/**
 * The kernel OOM killer taking the web service down again and again (oom-killer report, `Out of memory:
 * Killed process …`, oom_reaper, systemd restarting the unit). describe(): instance, host.
 */
export const ec2Oom: IncidentGenerator = {
  kind: 'ec2-oom',
  sources: ['ec2'],
  generate: oom,
  describe(rng, pools, req): Entities {
    const host = webHost(hostsOf(rng, pools), req.entities.instance ?? req.entities.host);
    return { instance: host.instanceId, host: host.hostname };
  },
};
