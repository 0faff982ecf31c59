import type { Rng } from '../../core/index.ts';
import { formatStructlogTimestamp, serializeApp, type AppLevel, type JsonScalar } from '../../formats/index.ts';
import type { GeneratedEvent, TruthLabel } from '../types.ts';
import { appStreamOf, type ServiceModel } from '../ecs/service-model.ts';

function event(model: ServiceModel, taskId: string, time: number, message: string, label?: TruthLabel): GeneratedEvent {
  const ev: GeneratedEvent = { time, source: 'app', dest: { kind: 'cwl', logGroup: model.appLogGroup, logStream: appStreamOf(model, taskId) }, message };
  if (label) ev.label = label;
  return ev;
}

export function levelOfStatus(status: number): AppLevel {
  return status >= 500 ? 'ERROR' : status >= 400 ? 'WARNING' : 'INFO';
}

/** The access line the API logger writes when a request finishes: `GET /api/cart 200 12ms user=alice`. */
export function requestLine(model: ServiceModel, taskId: string, time: number, r: { method: string; path: string; status: number; ms: number; user: string }, label?: TruthLabel): GeneratedEvent {
  const text = `${r.method} ${r.path} ${r.status} ${Math.round(r.ms)}ms user=${r.user}`;
  return event(model, taskId, time, serializeApp({ kind: 'plain', time, level: levelOfStatus(r.status), logger: 'checkout.api', text, traceback: [] }), label);
}

export function plainLine(model: ServiceModel, taskId: string, time: number, level: AppLevel, logger: string, text: string, label?: TruthLabel): GeneratedEvent {
  return event(model, taskId, time, serializeApp({ kind: 'plain', time, level, logger, text, traceback: [] }), label);
}

/** `logger.exception(...)`: the message line and its traceback in ONE CloudWatch event. */
export function exceptionLine(model: ServiceModel, taskId: string, time: number, logger: string, text: string, frames: readonly string[], last: string, label?: TruthLabel): GeneratedEvent {
  const traceback = ['Traceback (most recent call last):', ...frames, ...last.split('\n')];
  return event(model, taskId, time, serializeApp({ kind: 'plain', time, level: 'ERROR', logger, text, traceback }), label);
}

/**
 * A structlog JSON line. Key order follows structlog's processors: the call's key/values, then `event`,
 * `level`, `logger`, `timestamp` (microseconds; the sub-millisecond part is drawn from `opts.micros`, so two
 * lines of one millisecond keep their order), then what later processors add (`exception` from
 * format_exc_info: the whole traceback as one string) from `opts.trailing`.
 */
export function jsonLine(
  rng: Rng,
  model: ServiceModel,
  taskId: string,
  time: number,
  logger: string,
  level: 'info' | 'warning' | 'error',
  eventName: string,
  kv: Record<string, JsonScalar>,
  label?: TruthLabel,
  opts: { micros?: readonly [number, number]; trailing?: Record<string, JsonScalar> } = {},
): GeneratedEvent {
  const [lo, hi] = opts.micros ?? [0, 999];
  const fields: Record<string, JsonScalar> = { ...kv, event: eventName, level, logger, timestamp: formatStructlogTimestamp(time, rng.int(lo, hi)), ...opts.trailing };
  return event(model, taskId, time, serializeApp({ kind: 'json', time, fields }), label);
}
