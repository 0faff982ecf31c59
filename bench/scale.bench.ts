/**
 * `npm run bench:scale [-- --sizes 100k,1M,5M --rate 20 --scenario scenarios/quiet-baseline.yaml --build]`: one drill per
 * size, each the way a user runs it — `firedrill run <file> --json` in a process of its own, on the emulator that
 * run starts (so pruning of consumed raw objects and log events is on) — with the scenario's background rates
 * multiplied by --rate and its duration stretched until it makes the size's number of events. Same rates, longer
 * drills: what grows is the number of events, not the events per detector window.
 *
 * Prints per size: wall time, events/s, the ingest and detect phases' seconds, Node's peak RSS (the CLI process with
 * its normalizer thread; overall, and the largest sampled during ingest and during detection) and the emulator's,
 * CPU seconds of each, the ledger, the drill's verdict, and the per-event cost against the smallest size measured in
 * the same run — in wall time, per phase, and in CPU time (on a shared 2-core machine CPU time is the steadier).
 * Below the table, each handler's Max Memory Used as the drill reports it: a Node handler's is its thread's isolate
 * (V8 heap resident plus external), a share of Node's RSS; the rest of that RSS is the CLI's own thread and Node.
 * Asserts nothing: benchmarks inform.
 *
 * Which firedrill it runs (printed in the title):
 * - default: `bin/firedrill.js`, the TypeScript sources through tsx, as a clone runs them (`npm run firedrill`).
 *   Every thread that loads TypeScript registers tsx (the CLI's and each Node handler's: about 10 MB each), so this
 *   measures more memory than an installed firedrill uses.
 * - `--build`: `dist/cli/bin.js`, the compiled package as `npm install firedrill` runs it (its `bin`), after
 *   `npm run build` (the build is made first unless `--no-rebuild` and a dist/ is there). The figures a user sees.
 * Either runs as a command, the way a user's shell starts it: its sh launcher sets the CLI isolate's young generation,
 * and NODE_OPTIONS from the bench's environment comes after it (`--max-semi-space-size=16` measures V8's default).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parse, stringify } from 'yaml';
import { parseDuration } from '../core/index.ts';
import { syntheticEstate, defaultTopology } from '../core/topology/index.ts';
import { compile, loadScenario } from '../scenarios/index.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100k,1M,5M' },
    rate: { type: 'string', default: '20' },
    scenario: { type: 'string', default: 'scenarios/quiet-baseline.yaml' },
    build: { type: 'boolean', default: false },
    'no-rebuild': { type: 'boolean', default: false },
  },
});
const size = (s: string) => Math.round(Number.parseFloat(s) * ({ k: 1e3, m: 1e6 }[s.slice(-1).toLowerCase()] ?? 1));
const sizes = values.sizes!.split(',').map(size);
const factor = Number(values.rate);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** The scenario with every background rate multiplied by `factor` (numbers before `/s`, `/m`, `/h`). */
function scaled(doc: Record<string, unknown>, minutes: number): Record<string, unknown> {
  const mul = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(/^(\d+(?:\.\d+)?)\/(s|m|h)$/, (_, n: string, u: string) => `${Number(n) * factor}/${u}`);
    if (Array.isArray(v)) return v.map(mul);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mul(x)]));
    return v;
  };
  const warm = Math.min(parseDuration(String((doc.phases as { warmup?: string } | undefined)?.warmup ?? '6m')) / 60_000, Math.floor(minutes / 2));
  return { ...doc, id: `${String(doc.id)}-x${factor}-${minutes}m`, duration: `${minutes}m`, phases: { warmup: `${Math.max(1, warm)}m` }, background: mul(doc.background), incidents: [] };
}

/** The CLI entry each drill runs (see the header), built first with --build. */
const entry = values.build ? resolve('dist/cli/bin.js') : resolve('bin/firedrill.js');
const entryName = values.build ? 'the build (dist/cli/bin.js)' : 'the sources through tsx (bin/firedrill.js)';
if (values.build && !(values['no-rebuild'] && existsSync(entry))) {
  process.stderr.write('npm run build …\n');
  const built = spawnSync('npm', ['run', 'build', '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (built.status !== 0) throw new Error(`npm run build failed (exit ${built.status}): the build is what --build measures; fix it, or run without --build to measure the sources`);
}

const dir = await mkdtemp(join(tmpdir(), 'firedrill-scale-'));
const original = parse(await readFile(values.scenario!, 'utf8')) as Record<string, unknown>;

// Events per minute at these rates, from a 10-minute plan generated offline (no emulator): each size's duration
// is then the size over that rate.
const probeFile = join(dir, 'probe.yaml');
await writeFile(probeFile, stringify(scaled(original, 10)));
const topology = defaultTopology();
let probe = 0;
for (const _ of compile(await loadScenario(probeFile), syntheticEstate(topology), { topology }).events()) probe++;
const perMinute = probe / 10;

interface Proc {
  pid: number;
  name: 'node' | 'emulator';
  hwmMb: number;
  cpuS: number;
  /** The largest RSS sampled while each drill phase ran (VmHWM has no phases). */
  phaseMb: Record<string, number>;
}

/** The process tree under `root`, with peak RSS (VmHWM), RSS per drill phase and CPU seconds of each process. */
async function sample(root: number, seen: Map<number, Proc>, phase: string): Promise<void> {
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    try {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const cmd = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ');
      const stat = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
      const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
      const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
      const cpu = (Number(stat[11]) + Number(stat[12])) / 100;
      const name = /moto|python/.test(cmd) ? 'emulator' : 'node';
      const p = seen.get(pid) ?? { pid, name, hwmMb: 0, cpuS: 0, phaseMb: {} };
      // Once seen as the emulator, always the emulator: a child sampled between fork and exec still shows node's
      // command line, and one sampled as it exits shows none, so neither moment may name it Node.
      if (name === 'emulator') p.name = name;
      p.hwmMb = Math.max(p.hwmMb, hwm);
      p.phaseMb[phase] = Math.max(p.phaseMb[phase] ?? 0, rss);
      p.cpuS = Math.max(p.cpuS, cpu);
      seen.set(pid, p);
      for (const t of await import('node:fs/promises').then((fs) => fs.readdir(`/proc/${pid}/task`))) {
        const children = await readFile(`/proc/${pid}/task/${t}/children`, 'utf8').catch(() => '');
        for (const c of children.split(' ').filter(Boolean)) stack.push(Number(c));
      }
    } catch {
      // The process ended between two reads.
    }
  }
}

interface Row {
  target: number;
  minutes: number;
  events: number;
  wallS: number;
  phases: Record<string, number>;
  node: Proc;
  emulator: Proc;
  ledger: string;
  balanced: boolean;
  /** The drill's own verdict (a scale run of a quiet scenario can raise findings: that is detection, not cost). */
  outcome: string;
  /** Each handler's Max Memory Used as the drill reported it (a Node handler's: its thread's isolate, part of Node's RSS). */
  handlers: string;
}

/** Seconds between the start of a phase and the start of the next one named (the drill's progress lines). */
const span = (r: Row, from: string, to: string[]) => (to.map((t) => r.phases[t]).find((x) => x !== undefined) ?? r.wallS) - (r.phases[from] ?? 0);
const ingestS = (r: Row) => span(r, 'ingest', ['detect']);
const detectS = (r: Row) => span(r, 'detect', ['remediate', 'verify']);
const cost = (r: Row) => ({ wall: r.wallS / r.events, ingest: ingestS(r) / r.events, detect: detectS(r) / r.events, cpu: (r.node.cpuS + r.emulator.cpuS) / r.events });
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const mb = (n: number | undefined) => (n === undefined ? '—' : n.toFixed(0));
/** One table row, printed as soon as its drill ends (a long run shows its first sizes early); ratios are to the first. */
const printRow = (r: Row, b: Row) => {
  const c = cost(r);
  const f = cost(b);
  console.log(
    `| ${fmt(r.events)} | ${r.minutes} min | ${r.wallS.toFixed(1)} | ${fmt(r.events / r.wallS)} | ${ingestS(r).toFixed(1)} | ${detectS(r).toFixed(1)} | ${mb(r.node.hwmMb)} (${mb(r.node.phaseMb.ingest)} / ${mb(r.node.phaseMb.detect)}) | ${mb(r.emulator.hwmMb)} | ${r.node.cpuS.toFixed(1)} + ${r.emulator.cpuS.toFixed(1)} | ${r.balanced ? 'balanced' : 'UNBALANCED'} | ${r.outcome} | ${ratio(c.wall, f.wall)} | ${ratio(c.ingest, f.ingest)} | ${ratio(c.detect, f.detect)} | ${ratio(c.cpu, f.cpu)} |`,
  );
};
console.log(`bench:scale — ${String(original.id)} at ${factor}× its rates, one drill per size (firedrill run --json, own emulator, pruning on) from ${entryName}; ${process.arch}, ${(await import('node:os')).cpus().length} cores\n`);
console.log('| events | drill | wall s | events/s | ingest s | detect s | Node peak RSS MB (ingest / detect) | emulator peak RSS MB | CPU s node + emulator | ledger | verdict | per event vs first: wall | ingest | detect | CPU |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
const rows: Row[] = [];
for (const target of sizes) {
  const minutes = Math.max(2, Math.round(target / perMinute));
  const file = join(dir, `scale-${target}.yaml`);
  await writeFile(file, stringify(scaled(original, minutes)));
  process.stderr.write(`\n${fmt(target)} events: ${minutes} min of ${String(original.id)} at ${factor}× its rates (${fmt(perMinute)} events/min)\n`);
  const t0 = performance.now();
  const child = spawn(entry, ['run', file, '--json', '--report-dir', join(dir, `reports-${target}`)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const seen = new Map<number, Proc>();
  const phases: Record<string, number> = {};
  let phase = 'bootstrap';
  let outcome = '';
  let handlers = '';
  let sent = 0;
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => {
    for (const line of d.toString('utf8').split('\n')) {
      const m = /^\[\S+\s+([\d.]+)s\] (\w+):/.exec(line);
      if (m && phases[m[2]!] === undefined) phases[m[2]!] = Number(m[1]);
      if (m) phase = m[2]!;
      const n = /ingest: (\d+) events sent/.exec(line);
      if (n) sent = Number(n[1]);
      const done = /\] done: (.*)$/.exec(line);
      if (done) outcome = done[1]!;
      const memory = /handler memory \(max used of declared\): (.*)$/.exec(line);
      if (memory) handlers = memory[1]!;
      if (m && /ledger|pipeline drained|done:|handler memory/.test(line)) process.stderr.write(`  ${line}\n`);
    }
  });
  const sampler = setInterval(() => void sample(child.pid!, seen, phase), 250);
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  clearInterval(sampler);
  const wallS = (performance.now() - t0) / 1000;
  const report = JSON.parse(out || '{}') as { drills?: { ledger?: { balanced: boolean; totals: Record<string, number> } }[] };
  const ledger = report.drills?.[0]?.ledger;
  const procs = [...seen.values()];
  const pick = (name: Proc['name']) => procs.filter((p) => p.name === name).sort((a, b) => b.hwmMb - a.hwmMb)[0] ?? { pid: 0, name, hwmMb: 0, cpuS: 0, phaseMb: {} };
  const t = ledger?.totals ?? {};
  rows.push({
    target,
    minutes,
    // A drill that failed has no ledger: its events are the last count it reported.
    events: t.generated ?? sent,
    wallS,
    phases,
    node: pick('node'),
    emulator: pick('emulator'),
    ledger: ledger ? `generated ${fmt(t.generated ?? 0)} → normalized ${fmt(t.normalized ?? 0)}, quarantined ${t.quarantined}, duplicates ${t.duplicates}, replayed ${t.replayed ?? 0}` : `no ledger (exit ${code})`,
    balanced: ledger?.balanced === true,
    outcome: outcome || `exit ${code}`,
    handlers,
  });
  process.stderr.write(`  exit ${code}, ${wallS.toFixed(1)} s, node peak ${pick('node').hwmMb.toFixed(0)} MB, emulator peak ${pick('emulator').hwmMb.toFixed(0)} MB\n`);
  printRow(rows.at(-1)!, rows[0]!);
}
await rm(dir, { recursive: true, force: true });

console.log('');
for (const r of rows) console.log(`${fmt(r.target)}: ${r.ledger}; phases (s from start) ${Object.entries(r.phases).map(([k, v]) => `${k} ${v}`).join(', ')}; handler max memory used (MB of declared) ${r.handlers || '—'}`);
