import { ConfigError } from '../../core/index.ts';

/**
 * Parameters of the cascade and of its single-link kinds, from `IncidentRequest.params`.
 *
 * Each lag is the delay of a link behind the link it depends on (the topology's dependency edges
 * ecs → app → rds): the app's first DB error comes `lags.appSeconds` (+ jitter) after the database's first
 * exhaustion event; the first ECS reaction comes `lags.ecsSeconds` (+ jitter) after the app's first error.
 * Jitter is uniform in [0, jitterSeconds], drawn per link, so a measured lag lies in [lag, lag + jitter].
 */
export interface CascadeParams {
  lags: { appSeconds: number; ecsSeconds: number };
  jitterSeconds: number;
  /** How long the connection count climbs before the first FATAL (default min(10, appSeconds / 2)). */
  rampSeconds: number;
  /** 0..1 per link; default the request's intensity. */
  intensities: { rds: number; app: number; ecs: number };
}

export const CASCADE_DEFAULTS = { appSeconds: 20, ecsSeconds: 60, jitterSeconds: 3 } as const;

function obj(v: unknown, where: string): Record<string, unknown> {
  if (v === undefined) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new ConfigError(`cascade params: ${where} must be an object`, { expected: 'a mapping', seen: JSON.stringify(v) });
  }
  return v as Record<string, unknown>;
}

function num(v: unknown, where: string, def: number, min: number, max: number): number {
  if (v === undefined) return def;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new ConfigError(`cascade params: invalid ${where}`, { expected: `a number in [${min}, ${max}]`, seen: JSON.stringify(v), fix: `set ${where} to a number in range or leave it out (default ${def})` });
  }
  return v;
}

const KNOWN = new Set(['lags', 'jitterSeconds', 'rampSeconds', 'intensities']);

export function parseCascadeParams(params: Record<string, unknown> | undefined, intensity: number): CascadeParams {
  const p = params ?? {};
  const unknown = Object.keys(p).filter((k) => !KNOWN.has(k));
  if (unknown.length > 0) {
    throw new ConfigError('cascade params: unknown keys', { expected: [...KNOWN].join(', '), seen: unknown.join(', ') });
  }
  const lags = obj(p.lags, 'lags');
  const ints = obj(p.intensities, 'intensities');
  const base = num(intensity, 'intensity', 1, 0, 1);
  const appSeconds = num(lags.appSeconds, 'lags.appSeconds', CASCADE_DEFAULTS.appSeconds, 0, 3600);
  return {
    lags: { appSeconds, ecsSeconds: num(lags.ecsSeconds, 'lags.ecsSeconds', CASCADE_DEFAULTS.ecsSeconds, 0, 3600) },
    jitterSeconds: num(p.jitterSeconds, 'jitterSeconds', CASCADE_DEFAULTS.jitterSeconds, 0, 600),
    rampSeconds: num(p.rampSeconds, 'rampSeconds', Math.min(10, appSeconds / 2), 0, 600),
    intensities: {
      rds: num(ints.rds, 'intensities.rds', base, 0, 1),
      app: num(ints.app, 'intensities.app', base, 0, 1),
      ecs: num(ints.ecs, 'intensities.ecs', base, 0, 1),
    },
  };
}
