import type { Rng } from '../../core/index.ts';
import { HOUR, MINUTE } from '../../core/index.ts';
import { mergeByTime } from '../common/merge.ts';
import { ecsServiceMessages } from '../../formats/index.ts';
import type { BackgroundGenerator, BackgroundRequest, EntityPools, GeneratedEvent, GenerateWindow } from '../types.ts';
import { serviceModel, type ServiceModel, type ServiceTask } from './service-model.ts';
import { perfServiceEvent, perfTaskEvent, serviceActionEvent, serviceEventMessage, taskTimes } from './lines.ts';

/** ECS repeats an unchanged service event message only after six hours. */
const STEADY_STATE_EVERY = 6 * HOUR;

function firstMinute(w: GenerateWindow): number {
  return Math.ceil(w.start / MINUTE) * MINUTE;
}

/**
 * One task's Container Insights telemetry, once a minute. CPU and memory hover around a per-task level
 * with small wiggles (memory drifts slowly, as a Python process's heap does), so the baseline is learnable.
 */
function* taskTelemetry(rng: Rng, model: ServiceModel, task: ServiceTask, w: GenerateWindow): Generator<GeneratedEvent> {
  const level = rng.fork('level');
  const cpuLevel = model.cpuReserved * (0.12 + level.next() * 0.1);
  const memLevel = model.memoryReserved * (0.28 + level.next() * 0.08);
  // The task has been up since before the window's UTC day began (anchored to the day, not to the window,
  // so consecutive windows of one day agree on it).
  const times = taskTimes(level, Math.floor(w.start / 86_400_000) * 86_400_000 - level.int(3_600_000, 20 * 3_600_000));
  const r = rng.fork('minutes');
  for (let m = firstMinute(w); m < w.end; m += MINUTE) {
    const hourOfDay = new Date(m).getUTCHours() + new Date(m).getUTCMinutes() / 60;
    const diurnal = 1 + 0.35 * Math.cos((2 * Math.PI * (hourOfDay - 15)) / 24);
    yield perfTaskEvent(model, task.taskId, task.az, times, m, {
      cpu: Math.max(1, r.normal(cpuLevel * diurnal, cpuLevel * 0.08)),
      memory: memLevel + r.normal(0, 4) + ((m / MINUTE) % 240) * 0.05,
      rxBytes: Math.max(0, r.normal(42_000 * diurnal, 4000)),
      txBytes: Math.max(0, r.normal(96_000 * diurnal, 9000)),
    });
  }
}

function* serviceTelemetry(model: ServiceModel, w: GenerateWindow): Generator<GeneratedEvent> {
  for (let m = firstMinute(w); m < w.end; m += MINUTE) {
    yield perfServiceEvent(model, m, { desired: model.desiredCount, running: model.desiredCount, pending: 0 });
  }
}

/** The periodic steady-state reminders, as a service event message and as an EventBridge service action. */
function* steadyState(rng: Rng, model: ServiceModel, w: GenerateWindow): Generator<GeneratedEvent> {
  const phase = parseInt(model.tasks[0]?.taskId.slice(0, 6) ?? '0', 16) % STEADY_STATE_EVERY;
  for (let t = Math.ceil((w.start - phase) / STEADY_STATE_EVERY) * STEADY_STATE_EVERY + phase; t < w.end; t += STEADY_STATE_EVERY) {
    const r = rng.fork(`steady/${t}`);
    yield serviceActionEvent(r, model, t, 'INFO', 'SERVICE_STEADY_STATE');
    yield serviceEventMessage(r, model, t, ecsServiceMessages.steadyState(model.service));
  }
}

/**
 * ECS background: Container Insights Task events for each running task and a Service event per minute
 * (running = desired), plus the steady-state service event every six hours. ECS telemetry keeps its own
 * clock, so `req.rate` is not used.
 */
export const ecsBackground: BackgroundGenerator = {
  source: 'ecs',
  generate(rng: Rng, pools: EntityPools, req: BackgroundRequest): Iterable<GeneratedEvent> {
    const model = serviceModel(pools);
    return mergeByTime([
      ...model.tasks.map((task) => taskTelemetry(rng.fork(`task/${task.taskId}`), model, task, req.window)),
      serviceTelemetry(model, req.window),
      steadyState(rng.fork('steady-state'), model, req.window),
    ]);
  },
};
