import { ConfigError } from '../../core/index.ts';
import { RDS_SEVERITIES, type RdsSeverity } from '../../formats/index.ts';

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
  /** Other words for the links' errors, each still framed as its service writes a line (see CascadeWording). */
  wording: CascadeWording;
}

/**
 * Another system's wording of the cascade (seeds/004's mock generator writes "WARN: Maximum connections exceeded
 * for database mydb" where PostgreSQL writes "FATAL:  sorry, too many clients already"). `rds` is what the
 * database logs in place of each refusal, `<SEVERITY>:  <text>` after RDS's own line prefix; `app` is the
 * psycopg2 error the app's tracebacks end with. `{database}`, `{endpoint}` and `{address}` are the estate's
 * instance id, endpoint and address. Left out, each link keeps PostgreSQL's and libpq's own words.
 */
export interface CascadeWording {
  rds?: { severity: RdsSeverity; text: string };
  app?: string;
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

const KNOWN = new Set(['lags', 'jitterSeconds', 'rampSeconds', 'intensities', 'wording']);

const RDS_LINE = /^([A-Z0-9]+): {2}(\S.*)$/;

function text(v: unknown, where: string, example: string): string {
  if (typeof v !== 'string' || v.trim() === '' || v.includes('\n')) {
    throw new ConfigError(`cascade params: invalid ${where}`, { expected: `one line of text, e.g. ${JSON.stringify(example)}`, seen: JSON.stringify(v), fix: `write ${where} as one line or leave it out` });
  }
  return v;
}

function parseWording(v: unknown): CascadeWording {
  const w = obj(v, 'wording');
  const unknown = Object.keys(w).filter((k) => k !== 'rds' && k !== 'app');
  if (unknown.length > 0) throw new ConfigError('cascade params: unknown wording keys', { expected: 'rds, app', seen: unknown.join(', ') });
  const out: CascadeWording = {};
  if (w.rds !== undefined) {
    const example = 'WARNING:  Maximum connections exceeded for database {database}';
    const m = RDS_LINE.exec(text(w.rds, 'wording.rds', example));
    if (!m || !(RDS_SEVERITIES as readonly string[]).includes(m[1]!)) {
      throw new ConfigError('cascade params: wording.rds is not a PostgreSQL message', {
        expected: `<SEVERITY>:  <text> (two spaces, as PostgreSQL writes it), SEVERITY one of ${RDS_SEVERITIES.join(', ')}; e.g. ${JSON.stringify(example)}`,
        seen: JSON.stringify(w.rds),
        fix: 'start it with a PostgreSQL severity, a colon and two spaces',
      });
    }
    out.rds = { severity: m[1] as RdsSeverity, text: m[2]! };
  }
  if (w.app !== undefined) out.app = text(w.app, 'wording.app', 'psycopg2.OperationalError: could not connect to server: Connection refused');
  return out;
}

/** `{database}`, `{endpoint}`, `{address}` in a wording, filled from the estate's database. */
export function fillWording(template: string, db: { dbInstanceId: string; endpoint: string; address: string }): string {
  return template.replace(/\{(database|endpoint|address)\}/g, (_, k: 'database' | 'endpoint' | 'address') => (k === 'database' ? db.dbInstanceId : db[k]));
}

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
    wording: parseWording(p.wording),
  };
}
