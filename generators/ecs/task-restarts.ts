import { MINUTE } from '../../core/index.ts';
import { ecsServiceMessages, elbHealthCheckStoppedReason } from '../../formats/index.ts';
import type { GeneratedEvent } from '../types.ts';
import type { LinkContext } from '../cascade/link.ts';
import { serviceModel } from './service-model.ts';
import { perfServiceEvent, serviceActionEvent, serviceEventMessage, taskStateChangeEvent, taskTimes, type TaskState } from './lines.ts';

/** A task's life during the incident: running from `since`, replaced at `stoppedAt` (if it was). */
interface Slot {
  runningFrom: number;
  pendingFrom: number;
  stoppingAt: number;
}

/**
 * The ECS link: the target group marks tasks unhealthy, the scheduler stops them (stoppedReason
 * `Task failed ELB health checks in (target-group …)`) and starts replacements, which fail their health
 * checks again while the database is still exhausted — a restart loop. Container Insights' Service event
 * each minute shows RunningTaskCount below DesiredTaskCount. After the third replacement ECS reports
 * SERVICE_TASK_START_IMPAIRED. intensity sets how many of the service's tasks are caught (at least one).
 * The first event is at `ctx.onset` exactly. Events are simulated into a list (a few per task-minute) and
 * sorted, since task cycles overlap.
 */
export function* ecsTaskRestartsLink(ctx: LinkContext): Generator<GeneratedEvent> {
  const model = serviceModel(ctx.pools);
  const { rng, label, end } = ctx;
  const affected = Math.max(1, Math.min(model.desiredCount, Math.round(ctx.intensity * model.desiredCount)));
  const out: GeneratedEvent[] = [];
  const push = (ev: GeneratedEvent) => {
    if (ev.time >= ctx.onset && ev.time < end) out.push(ev);
  };
  const lives: Slot[] = [];
  let replacements = 0;
  let impairedReported = false;
  for (let j = 0; j < affected; j++) {
    const base = model.tasks[j]!;
    let task: TaskState = {
      taskId: base.taskId,
      ip: base.ip,
      az: base.az,
      // The original tasks have been up for a day or so.
      times: taskTimes(rng.fork(`times/${j}`), ctx.onset - rng.fork(`age/${j}`).int(3_600_000, 3 * 86_400_000)),
      lastStatus: 'RUNNING',
      desiredStatus: 'RUNNING',
      version: 3,
    };
    // The first affected task goes unhealthy exactly at the onset; the others a few seconds apart.
    let unhealthyAt = j === 0 ? ctx.onset : ctx.onset + j * rng.int(5_000, 15_000);
    let runningFrom = -Infinity;
    let pendingFrom = -Infinity;
    for (let cycle = 0; unhealthyAt < end; cycle++) {
      const r = rng.fork(`task/${j}/${cycle}`);
      push(serviceEventMessage(r, model, unhealthyAt, ecsServiceMessages.unhealthyInTargetGroup(model.service, task.taskId, model.containerPort, model.targetGroupArn), label));
      const stoppingAt = unhealthyAt + r.int(1_000, 2_500);
      lives.push({ runningFrom, pendingFrom, stoppingAt });
      task = { ...task, desiredStatus: 'STOPPED', lastStatus: 'RUNNING', stoppedReason: elbHealthCheckStoppedReason(model.targetGroupArn), stoppingAt, version: task.version + 1 };
      push(taskStateChangeEvent(r, model, stoppingAt, task, label));
      push(serviceEventMessage(r, model, stoppingAt + r.int(50, 400), ecsServiceMessages.stoppedTasks(model.service, [task.taskId]), label));
      const stoppedAt = stoppingAt + r.int(25_000, 40_000);
      push(taskStateChangeEvent(r, model, stoppedAt, { ...task, lastStatus: 'STOPPED', stoppedAt, version: task.version + 1 }, label));
      // The replacement: scheduled after the old one is drained, pending while its image is pulled.
      const createdAt = stoppingAt + r.int(20_000, 40_000);
      replacements++;
      const next: TaskState = {
        taskId: r.hex(32),
        ip: `${base.ip.split('.').slice(0, 3).join('.')}.${r.int(100, 250)}`,
        az: base.az,
        times: taskTimes(r, createdAt),
        lastStatus: 'PROVISIONING',
        desiredStatus: 'RUNNING',
        version: 1,
      };
      push(serviceEventMessage(r, model, createdAt, ecsServiceMessages.startedTasks(model.service, [next.taskId]), label));
      push(taskStateChangeEvent(r, model, createdAt + r.int(100, 900), next, label));
      push(taskStateChangeEvent(r, model, next.times.pullStartedAt, { ...next, lastStatus: 'PENDING', version: 2 }, label));
      push(taskStateChangeEvent(r, model, next.times.startedAt, { ...next, lastStatus: 'RUNNING', version: 3 }, label));
      if (replacements >= 3 && !impairedReported) {
        impairedReported = true;
        push(serviceActionEvent(r, model, createdAt + 500, 'WARN', 'SERVICE_TASK_START_IMPAIRED', label));
        push(serviceEventMessage(r, model, createdAt + 500, `(service ${model.service}) is unable to consistently start tasks successfully.`, label));
      }
      task = { ...next, lastStatus: 'RUNNING', version: 3 };
      pendingFrom = createdAt;
      runningFrom = next.times.startedAt;
      // Health check grace period, then three failed checks 30 s apart.
      unhealthyAt = runningFrom + r.int(60_000, 100_000);
    }
    lives.push({ runningFrom, pendingFrom, stoppingAt: Infinity });
  }
  // Container Insights' Service event each minute, counting the simulated tasks.
  const untouched = model.desiredCount - affected;
  for (let m = Math.ceil(ctx.onset / MINUTE) * MINUTE; m < end; m += MINUTE) {
    let running = untouched;
    let pending = 0;
    for (const l of lives) {
      if (l.runningFrom <= m && m < l.stoppingAt) running++;
      else if (l.pendingFrom <= m && m < l.runningFrom) pending++;
    }
    push(perfServiceEvent(model, m, { desired: model.desiredCount, running, pending }, label));
  }
  // Stable sort: events of one instant keep their causal order.
  out.sort((a, b) => a.time - b.time);
  yield* out;
}
