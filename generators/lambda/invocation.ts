import type { Rng } from '../../core/index.ts';
import type { EventQueue } from './event-queue.ts';
import type { TruthLabel } from '../types.ts';
import { acquireEnv, billedMs, fillTemplate, invokeErrorText, lambdaEvent, releaseEnvAt, stackText, type LambdaFunction } from './function-model.ts';

export type Outcome = 'ok' | 'error' | 'timeout' | 'oom';

export interface InvocationSpec {
  outcome: Outcome;
  label?: TruthLabel;
  error?: { type: string; message: string; frames: readonly string[] };
  /** Extra app lines written before the outcome (WARN about a slow downstream, heap growth …). */
  extra?: readonly { level: 'INFO' | 'WARN'; text: string }[];
  /** Override of the profile's duration, ms. */
  durationMs?: number;
  /** Override of Max Memory Used, MB. */
  memoryUsedMb?: number;
  /** Which wording timeouts/OOM use: per environment by default. */
  legacy?: boolean;
  legacyShare?: number;
}

const r2 = (n: number) => Math.round(n * 100) / 100;

/**
 * Pushes every line of one invocation into `q`: START, the function's INFO lines spread over its run, the
 * outcome (error stack + Invoke Error, the timeout line or REPORT status, the OOM kill), END and REPORT.
 * Returns the invocation's end time.
 */
export function invoke(rng: Rng, fn: LambdaFunction, t: number, spec: InvocationSpec, q: EventQueue, vars: Record<string, string>): number {
  const p = fn.profile;
  const { env, cold } = acquireEnv(rng, fn, t, spec.legacyShare ?? 0.5);
  const legacy = spec.legacy ?? env.legacy;
  const initMs = cold ? r2(p.initMs[0] + rng.next() * (p.initMs[1] - p.initMs[0])) : undefined;
  const start = t + (initMs === undefined ? 0 : Math.round(initMs));
  const id = rng.uuid();
  const label = spec.label;
  let duration: number;
  if (spec.outcome === 'timeout') duration = fn.timeoutMs;
  else duration = spec.durationMs ?? Math.min(fn.timeoutMs * 0.9, Math.max(1.2, rng.logNormal(p.durMu, p.durSigma)));
  duration = r2(duration);
  q.push(lambdaEvent(env, start, { type: 'start', requestId: id, version: '$LATEST' }, label));
  const lines = spec.outcome === 'timeout' ? p.lines.slice(0, 1) : p.lines;
  const total = lines.length + (spec.extra?.length ?? 0);
  let k = 0;
  const at = () => start + Math.floor(((++k) / (total + 1)) * Math.min(duration, fn.timeoutMs - 50));
  for (const tpl of lines) {
    const time = at();
    q.push(lambdaEvent(env, time, { type: 'app', time, requestId: id, level: 'INFO', text: fillTemplate(rng, tpl, time, vars) }, label));
  }
  for (const x of spec.extra ?? []) {
    const time = at();
    q.push(lambdaEvent(env, time, { type: 'app', time, requestId: id, level: x.level, text: fillTemplate(rng, x.text, time, vars) }, label));
  }
  const end = start + Math.ceil(duration);
  const mem = fn.memoryMb;
  let used = spec.memoryUsedMb ?? Math.round(mem * (p.memBase + p.memJitter * rng.normal()));
  used = Math.max(Math.min(used, mem), 30);
  switch (spec.outcome) {
    case 'ok':
      q.push(lambdaEvent(env, end, { type: 'end', requestId: id }, label));
      q.push(lambdaEvent(env, end, reportOf(id, duration, initMs, mem, Math.min(used, mem - 1)), label));
      break;
    case 'error': {
      const err = spec.error ?? p.errors[0]!;
      const e1 = end - 2;
      q.push(lambdaEvent(env, e1, { type: 'app', time: e1, requestId: id, level: 'ERROR', text: fillTemplate(rng, stackText(err), e1, vars) }, label));
      q.push(lambdaEvent(env, end, { type: 'app', time: end, requestId: id, level: 'ERROR', text: fillTemplate(rng, invokeErrorText(err), end, vars) }, label));
      q.push(lambdaEvent(env, end, { type: 'end', requestId: id }, label));
      q.push(lambdaEvent(env, end, reportOf(id, duration, initMs, mem, Math.min(used, mem - 1)), label));
      break;
    }
    case 'timeout': {
      if (legacy) {
        // Older runtimes: the runtime's own line, a few ms past the limit, then END and a plain REPORT.
        const over = r2(duration + 5 + rng.next() * 30);
        const te = start + Math.ceil(over);
        q.push(lambdaEvent(env, te, { type: 'timeout', time: te, requestId: id, seconds: Math.round(over / 10) / 100 }, label));
        q.push(lambdaEvent(env, te, { type: 'end', requestId: id }, label));
        q.push(lambdaEvent(env, te, { type: 'report', requestId: id, durationMs: over, billedMs: fn.timeoutMs + Math.ceil(initMs ?? 0), memorySizeMb: mem, maxMemoryUsedMb: Math.min(used, mem - 1), ...(initMs === undefined ? {} : { initDurationMs: initMs }) }, label));
      } else {
        q.push(lambdaEvent(env, end, { type: 'end', requestId: id }, label));
        q.push(lambdaEvent(env, end, { ...reportOf(id, duration, initMs, mem, Math.min(used, mem - 1)), status: 'timeout' }, label));
      }
      // The runtime is torn down: the environment is not released, the next invocation starts cold.
      return end;
    }
    case 'oom': {
      if (legacy) q.push(lambdaEvent(env, end, { type: 'runtime-error', requestId: id, text: 'Error: Runtime exited with error: signal: killed\nRuntime.ExitError' }, label));
      q.push(lambdaEvent(env, end, { type: 'end', requestId: id }, label));
      const rep = reportOf(id, duration, initMs, mem, mem);
      q.push(lambdaEvent(env, end, legacy ? rep : { ...rep, status: 'error', errorType: 'Runtime.OutOfMemory' }, label));
      // The runtime is torn down: the environment is not released, the next invocation starts cold.
      return end;
    }
  }
  releaseEnvAt(fn, env, end);
  return end;
}

function reportOf(requestId: string, durationMs: number, initMs: number | undefined, memorySizeMb: number, maxMemoryUsedMb: number) {
  return {
    type: 'report' as const,
    requestId,
    durationMs,
    billedMs: billedMs(durationMs, initMs),
    memorySizeMb,
    maxMemoryUsedMb,
    ...(initMs === undefined ? {} : { initDurationMs: initMs }),
  };
}
