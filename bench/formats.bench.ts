/**
 * Parser throughput: parse + normalize per source, in lines/s, on the lines a drill generates (bad-day) and on
 * the documentation corpus (formats/testdata/conformance, the shapes the generators do not write), beside a
 * baseline measured in the same run on the same lines: the bare tokenization every reader pays (JSON.parse of a
 * JSON line, split(' ') of a text line). The ratio says how many times that floor a format costs, so a change
 * that makes a parser slower shows up whatever the machine's speed. Prints figures; asserts nothing.
 *
 *   npm run bench:formats [-- --scenario scenarios/bad-day.yaml --rounds 7]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { defaultTopology, syntheticEstate } from '../core/topology/index.ts';
import type { SourceName } from '../core/index.ts';
import { formats, type FormatHint, type LineOrigin } from '../formats/index.ts';
import { compile, loadScenario } from '../scenarios/index.ts';

const { values } = parseArgs({ options: { scenario: { type: 'string', default: 'scenarios/bad-day.yaml' }, rounds: { type: 'string', default: '7' } } });
const rounds = Number(values.rounds);

interface Line {
  line: string;
  origin: LineOrigin;
}

const generated = new Map<SourceName, Line[]>();
const topology = defaultTopology({ region: 'us-east-1' });
const plan = compile(await loadScenario(values.scenario!), syntheticEstate(topology), { topology, seed: '7', now: Date.UTC(2026, 4, 1, 12) });
for (const e of plan.events()) {
  const d = e.dest;
  const origin: LineOrigin = d.kind === 'cwl' ? { logGroup: d.logGroup, logStream: d.logStream, timestamp: e.time } : {};
  let a = generated.get(e.source);
  if (!a) generated.set(e.source, (a = []));
  a.push({ line: e.message, origin });
}

const corpus = new Map<SourceName, Line[]>();
const root = new URL('../formats/testdata/conformance/', import.meta.url);
for (const src of readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name as SourceName)) {
  for (const f of readdirSync(new URL(`${src}/`, root)).filter((n) => n.endsWith('.ndjson'))) {
    for (const l of readFileSync(new URL(`${src}/${f}`, root), 'utf8').split('\n')) {
      if (!l.trim()) continue;
      const e = JSON.parse(l) as { kind?: string; line: string; origin?: { logGroup?: string; logStream?: string; timestamp?: string }; hint?: FormatHint };
      if (e.kind === 'file') continue;
      const origin: LineOrigin = { ...(e.origin?.logGroup ? { logGroup: e.origin.logGroup } : {}), ...(e.origin?.logStream ? { logStream: e.origin.logStream } : {}), ...(e.origin?.timestamp ? { timestamp: Date.parse(e.origin.timestamp) } : {}), ...(e.hint ? { hint: e.hint } : {}) };
      let a = corpus.get(src);
      if (!a) corpus.set(src, (a = []));
      a.push({ line: e.line, origin });
    }
  }
}

const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;

/** Lines/s of `fn` over `lines`, repeated to at least 100k calls a round, rounds interleaved with the baseline. */
function measure(lines: Line[], fn: (l: Line) => unknown, base: (l: Line) => unknown): { rate: number; baseRate: number } {
  const reps = Math.max(1, Math.ceil(100_000 / lines.length));
  const run = (f: (l: Line) => unknown) => {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) for (const l of lines) f(l);
    return (reps * lines.length) / ((performance.now() - t0) / 1000);
  };
  run(fn);
  run(base); // warm-up
  const a: number[] = [], b: number[] = [];
  for (let i = 0; i < rounds; i++) {
    if (i % 2) {
      a.push(run(fn));
      b.push(run(base));
    } else {
      b.push(run(base));
      a.push(run(fn));
    }
  }
  return { rate: median(a), baseRate: median(b) };
}

const tokenize = (l: Line) => {
  if (l.line.trimStart().startsWith('{')) {
    try {
      return JSON.parse(l.line) as unknown;
    } catch {
      // A Python dict printed by print() starts with a brace too: it is text.
    }
  }
  return l.line.split(' ');
};
const fmtRate = (n: number) => `${Math.round(n).toLocaleString('en-US')}/s`.padStart(13);

console.log(`parse + normalize, lines/s (median of ${rounds} rounds) · baseline: JSON.parse / split(' ') of the same lines`);
for (const [label, set] of [[`generated (${values.scenario})`, generated], ['documentation corpus', corpus]] as const) {
  console.log(`\n${label}`);
  for (const [src, lines] of [...set].sort(([a], [b]) => a.localeCompare(b))) {
    const fmt = formats[src]!;
    const { rate, baseRate } = measure(lines, (l) => fmt.normalize(fmt.parse(l.line, l.origin), l.origin), tokenize);
    console.log(`  ${src.padEnd(10)} ${String(lines.length).padStart(7)} lines ${fmtRate(rate)}   baseline ${fmtRate(baseRate)}   ×${(baseRate / rate).toFixed(1)} the baseline's cost`);
  }
}
