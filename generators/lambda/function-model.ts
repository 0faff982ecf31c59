import { ConfigError } from '../../core/index.ts';
import type { Rng } from '../../core/index.ts';
import { lambdaStreamName, serializeLambda, type LambdaRecord } from '../../formats/index.ts';
import type { Destination, EntityPools, GeneratedEvent, TruthLabel } from '../types.ts';
import { FUNCTION_PROFILES, GENERIC_PROFILE, type FunctionProfile } from './data.ts';

/** One execution environment: its own log stream, alive until idle too long, retired or killed. */
export interface LambdaEnv {
  dest: Destination;
  busyUntil: number;
  lastUsed: number;
  retireAt: number;
  /** Which timeout/OOM wording this environment's runtime writes (older runtimes vs newer). */
  legacy: boolean;
}

export interface LambdaFunction {
  name: string;
  logGroup: string;
  timeoutMs: number;
  memoryMb: number;
  profile: FunctionProfile;
  /** Environments running an invocation: a min-heap on busyUntil. */
  busy: LambdaEnv[];
  /** Idle (warm) environments, most recently used on top. */
  idle: LambdaEnv[];
}

/** An idle environment is frozen, then reclaimed: after this long without an invocation the next one is cold. */
const IDLE_RECLAIM_MS = 7 * 60_000;

export function profileOf(name: string): FunctionProfile {
  for (const [suffix, p] of Object.entries(FUNCTION_PROFILES)) if (name.endsWith(`-${suffix}`) || name === suffix) return p;
  return GENERIC_PROFILE;
}

export function lambdaFunctions(pools: EntityPools): LambdaFunction[] {
  return pools.topology.estate.lambdas.map((l) => {
    const logGroup = `/aws/lambda/${l.name}`;
    return { name: l.name, logGroup, timeoutMs: l.timeoutSeconds * 1000, memoryMb: l.memoryMb, profile: profileOf(l.name), busy: [], idle: [] };
  });
}

/** The function an incident is about: the scenario's, else the first whose name matches `prefer`, else the first. */
export function pickFunction(fns: LambdaFunction[], wanted: string | undefined, prefer: RegExp): LambdaFunction {
  if (fns.length === 0) throw new ConfigError('the estate has no Lambda functions', { expected: 'at least one estate.lambdas entry', seen: 'none' });
  if (wanted) {
    const f = fns.find((x) => x.name === wanted || `arn:aws:lambda:${x.name}` === wanted || wanted.endsWith(`:function:${x.name}`));
    if (!f) throw new ConfigError('incident names a Lambda function the estate does not have', { expected: fns.map((x) => x.name).join(' | '), seen: wanted });
    return f;
  }
  return fns.find((f) => prefer.test(f.name)) ?? fns[0]!;
}

function heapPush(h: LambdaEnv[], e: LambdaEnv): void {
  let i = h.length;
  h.push(e);
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (h[p]!.busyUntil <= h[i]!.busyUntil) break;
    [h[p], h[i]] = [h[i]!, h[p]!];
    i = p;
  }
}

function heapPop(h: LambdaEnv[]): LambdaEnv {
  const top = h[0]!;
  const last = h.pop()!;
  if (h.length > 0) {
    h[0] = last;
    let i = 0;
    while (true) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < h.length && h[l]!.busyUntil < h[m]!.busyUntil) m = l;
      if (r < h.length && h[r]!.busyUntil < h[m]!.busyUntil) m = r;
      if (m === i) break;
      [h[m], h[i]] = [h[i]!, h[m]!];
      i = m;
    }
  }
  return top;
}

/**
 * The environment an invocation at `t` runs in: the most recently used idle one (Lambda reuses warm
 * environments LIFO-ish), else a new one (a cold start, which opens a new log stream). O(log n) per call:
 * at thousands of invocations a second a function has thousands of environments.
 */
export function acquireEnv(rng: Rng, fn: LambdaFunction, t: number, legacyShare = 0.5): { env: LambdaEnv; cold: boolean } {
  while (fn.busy.length > 0 && fn.busy[0]!.busyUntil <= t) fn.idle.push(heapPop(fn.busy));
  while (fn.idle.length > 0) {
    const e = fn.idle[fn.idle.length - 1]!;
    // The top is the most recently used: if it was reclaimed, every one below it was too.
    if (t - e.lastUsed > IDLE_RECLAIM_MS) {
      fn.idle.length = 0;
      break;
    }
    fn.idle.pop();
    if (t < e.retireAt) return { env: e, cold: false };
  }
  const env: LambdaEnv = {
    dest: { kind: 'cwl', logGroup: fn.logGroup, logStream: lambdaStreamName(t, rng.hex(32)) },
    busyUntil: t,
    lastUsed: t,
    retireAt: t + rng.int(90, 240) * 60_000,
    legacy: rng.chance(legacyShare),
  };
  return { env, cold: true };
}

/** Marks an environment busy until `end`; an environment that is never released (timeout, OOM) is gone. */
export function releaseEnvAt(fn: LambdaFunction, env: LambdaEnv, end: number): void {
  env.busyUntil = end;
  env.lastUsed = end;
  heapPush(fn.busy, env);
}

export function lambdaEvent(env: LambdaEnv, time: number, r: LambdaRecord, label?: TruthLabel): GeneratedEvent {
  const e: GeneratedEvent = { time, source: 'lambda', dest: env.dest, message: serializeLambda(r) };
  if (label) e.label = label;
  return e;
}

/** Fills `{…}` placeholders of a message template. */
export function fillTemplate(rng: Rng, tpl: string, t: number, vars: Record<string, string>): string {
  return tpl.replace(/\{(\w+)\}/g, (_m, k: string) => {
    switch (k) {
      case 'uuid':
        return rng.uuid();
      case 'n':
        return String(rng.int(1, 5000));
      case 'ms':
        return String(rng.int(20, 900));
      case 'order':
        return `ord_${rng.hex(10)}`;
      case 'date':
        return new Date(t).toISOString().slice(0, 10);
      default:
        return vars[k] ?? `{${k}}`;
    }
  });
}

/** Node's `Invoke Error` line for an unhandled rejection: JSON on one line after a tab. */
export function invokeErrorText(err: { type: string; message: string; frames: readonly string[] }): string {
  return `Invoke Error \t${JSON.stringify({ errorType: err.type, errorMessage: err.message, stack: [`${err.type}: ${err.message}`, ...err.frames] })}`;
}

/** console.error(err) in Node: the stack, one CloudWatch event with embedded newlines. */
export function stackText(err: { type: string; message: string; frames: readonly string[] }): string {
  return [`${err.type}: ${err.message}`, ...err.frames].join('\n');
}

/** Billed duration: whole ms, and since August 2025 the init phase of on-demand functions is billed too. */
export function billedMs(durationMs: number, initMs: number | undefined): number {
  return Math.ceil(durationMs + (initMs ?? 0));
}
