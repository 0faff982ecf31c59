import { parseDuration } from '../../core/index.ts';
import { ConfigError } from '../../core/index.ts';
import { createRng } from '../../core/index.ts';
import { defaultTopology, syntheticEstate } from '../../core/topology/index.ts';
import { INCIDENT_KINDS, SOURCES, type IncidentKind, type SourceName } from '../../core/index.ts';
import {
  backgroundGenerators,
  buildPools,
  constantRate,
  incidentGenerators,
  LineWriter,
  mergeByTime,
  parseRate,
  TruthManifestWriter,
  truthEntryOf,
  type GeneratedEvent,
} from '../../generators/index.ts';
import { ByteChunk } from '../../generators/common/index.ts';
import type { Rng } from '../../core/index.ts';
import type { BackgroundRequest, EntityPools } from '../../generators/index.ts';
import { BackgroundFlows } from '../../generators/vpcflow/index.ts';
import { WafBackgroundStream } from '../../generators/waf/index.ts';

import { DEFAULT_START, OUTPUT_SHAPES, type OutputShape } from '../commands/generate.ts';

export { DEFAULT_START, OUTPUT_SHAPES, type OutputShape };

export interface GenerateOptions {
  source: SourceName;
  mode?: IncidentKind;
  count?: number;
  /** Window length, ms. */
  durationMs: number;
  /** Background rate, events/s. */
  rate: number;
  seed: string;
  /** Window start, epoch ms (fixed by default so output never depends on when it ran). */
  start: number;
  out: string;
  truth?: string;
  intensity: number;
  shape: OutputShape;
  /** Source options (background) and incident params, from repeated `--option key=value`. */
  options: Record<string, unknown>;
}

/** `key=value` pairs; numbers stay numbers, JSON arrays/objects are parsed, the rest stays a string. */
export function parseOptionPairs(pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new ConfigError('invalid --option', { expected: 'key=value', seen: JSON.stringify(p) });
    const key = p.slice(0, eq);
    const raw = p.slice(eq + 1);
    let v: unknown = raw;
    if (/^-?\d+(\.\d+)?$/.test(raw)) v = Number(raw);
    else if (/^[[{]/.test(raw)) {
      try {
        v = JSON.parse(raw);
      } catch (err) {
        throw new ConfigError(`invalid --option ${key}`, { expected: 'valid JSON after key=', seen: raw, cause: err });
      }
    }
    out[key] = v;
  }
  return out;
}

/** Validates raw flags (as commander hands them over) into GenerateOptions. Exported for tests. */
export function resolveGenerateOptions(flags: Record<string, unknown>): GenerateOptions {
  const source = String(flags['source'] ?? '');
  if (!(SOURCES as readonly string[]).includes(source)) {
    throw new ConfigError('unknown --source', { expected: SOURCES.join(' | '), seen: JSON.stringify(source) });
  }
  const mode = flags['mode'] === undefined ? undefined : String(flags['mode']);
  if (mode !== undefined && !(INCIDENT_KINDS as readonly string[]).includes(mode)) {
    throw new ConfigError('unknown --mode', { expected: INCIDENT_KINDS.join(' | '), seen: JSON.stringify(mode) });
  }
  const count = flags['count'] === undefined ? undefined : Number(flags['count']);
  if (count !== undefined && !(Number.isInteger(count) && count > 0)) {
    throw new ConfigError('invalid --count', { expected: 'a positive integer', seen: String(flags['count']) });
  }
  if (count === undefined && flags['duration'] === undefined) {
    throw new ConfigError('nothing to generate', { expected: '--count N or --duration <10m> (with --rate <2000/s>)', seen: 'neither', fix: 'add --count 1000 or --duration 10m' });
  }
  const rate = parseRate(String(flags['rate'] ?? '100/s'));
  if (!(rate > 0)) throw new ConfigError('invalid --rate', { expected: 'a rate above zero, e.g. 2000/s', seen: String(flags['rate']) });
  let durationMs: number;
  try {
      // With only --count, the window is long enough for the count at the rate (Poisson counts vary).
      durationMs = flags['duration'] !== undefined ? parseDuration(String(flags['duration'])) : Math.ceil(((count ?? 0) * 1000 * 1.5) / rate) + 60_000;
  } catch (err) {
    throw new ConfigError('invalid --duration', { expected: 'a duration such as 90s, 10m, 2h', seen: String(flags['duration']), cause: err });
  }
  const startText = String(flags['start'] ?? DEFAULT_START);
  const start = Date.parse(startText);
  if (Number.isNaN(start)) throw new ConfigError('invalid --start', { expected: 'an ISO-8601 instant such as 2026-05-01T00:00:00Z', seen: startText });
  const out = String(flags['out'] ?? '-');
  const truth = flags['truth'] === undefined ? (out === '-' ? undefined : `${out}.truth.ndjson`) : String(flags['truth']);
  if (mode !== undefined && truth === undefined) {
    throw new ConfigError('no place for the truth manifest', { expected: '--truth <file> when --out is -', seen: '--out - without --truth', fix: 'add --truth truth.ndjson' });
  }
  const shape = String(flags['as'] ?? 'native');
  if (!(OUTPUT_SHAPES as readonly string[]).includes(shape)) throw new ConfigError('invalid --as', { expected: OUTPUT_SHAPES.join(' | '), seen: shape });
  const intensity = Number(flags['intensity'] ?? 1);
  if (!(intensity > 0 && intensity <= 1)) throw new ConfigError('invalid --intensity', { expected: 'a number in (0, 1]', seen: String(flags['intensity']) });
  const opts: GenerateOptions = {
    source: source as SourceName,
    durationMs,
    rate,
    seed: String(flags['seed'] ?? '42'),
    start,
    out,
    intensity,
    shape: shape as OutputShape,
    options: parseOptionPairs((flags['option'] as string[] | undefined) ?? []),
  };
  if (mode !== undefined) opts.mode = mode as IncidentKind;
  if (count !== undefined) opts.count = count;
  if (truth !== undefined) opts.truth = truth;
  return opts;
}

/**
 * The event stream of a generate run: the source's background over the window, plus, with --mode, the
 * incident over its middle 60% (so a baseline precedes and follows it), merged in time order. Each stream
 * forks its own rng by name from the seed, as the scenario compiler does. A future `--scenario` produces
 * the same kind of stream from a compiled plan and reuses writeGenerated() below.
 */
export function generateEvents(opts: GenerateOptions): Iterable<GeneratedEvent> {
  const topology = defaultTopology();
  const estate = syntheticEstate(topology);
  const root = createRng(opts.seed);
  const pools = buildPools(root.fork('pools'), estate, topology);
  const window = { start: opts.start, end: opts.start + opts.durationMs };
  const streams: Iterable<GeneratedEvent>[] = [];
  const bg = backgroundGenerators[opts.source];
  if (!bg) {
    const have = Object.keys(backgroundGenerators).join(', ');
    throw new ConfigError(`no generator for source ${opts.source} yet`, { expected: `one of ${have}`, seen: opts.source });
  }
  streams.push(bg.generate(root.fork(`background/${opts.source}`), pools, { window, rate: constantRate(opts.rate), options: opts.options }));
  if (opts.mode) {
    const gen = incidentGenerators[opts.mode];
    if (!gen) throw new ConfigError(`no generator for mode ${opts.mode} yet`, { expected: Object.keys(incidentGenerators).join(', '), seen: opts.mode });
    if (!gen.sources.includes(opts.source)) {
      throw new ConfigError(`mode ${opts.mode} does not write ${opts.source}`, { expected: `--source ${gen.sources.join(' | ')}`, seen: `--source ${opts.source}` });
    }
    const span = window.end - window.start;
    const incident = gen.generate(root.fork(`incident/${opts.mode}`), pools, {
      incidentId: `${opts.mode}-1`,
      kind: opts.mode,
      window: { start: window.start + Math.floor(span * 0.2), end: window.start + Math.floor(span * 0.8) },
      intensity: opts.intensity,
      entities: {},
      params: opts.options,
    });
    const source = opts.source;
    // Multi-source incidents (the cascade) write several sources; this command writes one.
    streams.push((function* () {
      for (const e of incident) if (e.source === source) yield e;
    })());
  }
  return streams.length === 1 ? streams[0]! : mergeByTime(streams);
}

function shapeLine(e: GeneratedEvent, shape: OutputShape): string {
  if (shape === 'native') return e.message;
  const d = e.dest;
  if (shape === 'cwl') {
    if (d.kind !== 'cwl') throw new ConfigError('--as cwl', { expected: 'a source delivered through CloudWatch Logs', seen: `${e.source} goes to ${d.kind}` });
    return JSON.stringify({ logGroup: d.logGroup, logStream: d.logStream, timestamp: e.time, message: e.message });
  }
  if (d.kind !== 'firehose') throw new ConfigError('--as firehose', { expected: 'a source delivered to Firehose (waf)', seen: `${e.source} goes to ${d.kind}` });
  return JSON.stringify({ deliveryStream: d.deliveryStream, data: `${e.message}\n` });
}

/** A generator that writes whole native lines into a byte chunk, byte-identical to its event path. */
interface BytesSource {
  fill(out: ByteChunk, untilBytes: number, maxLines?: number): number;
}

/** Sources with a bytes path (the tests under generators/ hold each to its event path, byte for byte). */
const BYTES_PATHS: Partial<Record<SourceName, (rng: Rng, pools: EntityPools, req: BackgroundRequest) => BytesSource>> = {
  vpcflow: (rng, pools, req) => new BackgroundFlows(rng, pools, req),
  waf: (rng, pools, req) => new WafBackgroundStream(rng, pools, req),
};

/**
 * Background-only native output of a source with a bytes path, written in 64 KiB chunks without an event object
 * or a string per line: the same bytes as writeGenerated(generateEvents(opts)), several times faster. Undefined
 * when the options need the event path (an incident, a wrapped shape, a source without a bytes path).
 */
export async function writeGeneratedBytes(opts: GenerateOptions): Promise<GenerateSummary | undefined> {
  const make = BYTES_PATHS[opts.source];
  if (!make || opts.mode || opts.shape !== 'native') return undefined;
  const t0 = performance.now();
  const topology = defaultTopology();
  const root = createRng(opts.seed);
  const pools = buildPools(root.fork('pools'), syntheticEstate(topology), topology);
  const gen = make(root.fork(`background/${opts.source}`), pools, {
    window: { start: opts.start, end: opts.start + opts.durationMs },
    rate: constantRate(opts.rate),
    options: opts.options,
  });
  const out = new LineWriter(opts.out);
  const chunk = new ByteChunk();
  let n = 0;
  try {
    for (;;) {
      const lines = gen.fill(chunk, 64 * 1024, (opts.count ?? Infinity) - n);
      if (lines === 0) break;
      n += lines;
      const p = out.writeChunk(chunk.view(), lines);
      if (p) await p;
      chunk.reset();
      if (opts.count !== undefined && n >= opts.count) break;
    }
    await out.close();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPIPE') throw err;
  }
  // Background has no incident events, but the manifest is still written: an empty truth is a statement too.
  if (opts.truth !== undefined) await new TruthManifestWriter(opts.truth).close();
  return { events: n, truthEntries: 0, chars: out.chars, seconds: (performance.now() - t0) / 1000 };
}

export interface GenerateSummary {
  events: number;
  truthEntries: number;
  chars: number;
  seconds: number;
}

/** Streams events to the output (and truth manifest) with backpressure, stopping after `count` if given. */
export async function writeGenerated(events: Iterable<GeneratedEvent>, opts: Pick<GenerateOptions, 'out' | 'truth' | 'count' | 'shape'>): Promise<GenerateSummary> {
  const t0 = performance.now();
  const out = new LineWriter(opts.out);
  const truth = opts.truth !== undefined ? new TruthManifestWriter(opts.truth) : undefined;
  const limit = opts.count ?? Infinity;
  let n = 0;
  try {
    for (const e of events) {
      if (n >= limit) break;
      const entry = truthEntryOf(e);
      if (entry) {
        if (!truth) throw new ConfigError('labelled event without a truth manifest', { expected: '--truth <file>', seen: 'none' });
        const p = truth.write(entry);
        if (p) await p;
      }
      const p = out.write(shapeLine(e, opts.shape));
      if (p) await p;
      n++;
    }
    await out.close();
  } catch (err) {
    // The reader went away (`generate … | head`): that ends the run, it is not a failure.
    if ((err as NodeJS.ErrnoException).code !== 'EPIPE') throw err;
  }
  if (truth) await truth.close();
  return { events: n, truthEntries: truth?.entries ?? 0, chars: out.chars, seconds: (performance.now() - t0) / 1000 };
}

/** `firedrill generate`: validates the flags, writes the lines (and truth), and says what it wrote on stderr. */
export async function generateCommand(flags: Record<string, unknown>): Promise<void> {
  const opts = resolveGenerateOptions(flags);
  const s = (await writeGeneratedBytes(opts)) ?? (await writeGenerated(generateEvents(opts), opts));
  process.stderr.write(
    `firedrill generate: seed ${opts.seed}, source ${opts.source}${opts.mode ? `, mode ${opts.mode}` : ''}: ${s.events} events, ` +
      `${(s.chars / 1e6).toFixed(1)} MB in ${s.seconds.toFixed(2)} s` +
      (opts.truth ? `, ${s.truthEntries} truth entries → ${opts.truth}` : '') + '\n',
  );
}
