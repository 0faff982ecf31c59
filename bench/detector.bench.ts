/**
 * `npm run bench:detector`: how fast the detector scores normalized records, and what one event-time window
 * costs. Synthetic NormalizedRecords are made here (the hand-built noisy background of the detector tests,
 * scaled up by duplicating each window's records with fresh ids), so the figures do not depend on the
 * generators. Prints figures only; nothing here is a timed assertion.
 */
import { performance } from 'node:perf_hooks';
import type { NormalizedRecord } from '../formats/types.ts';
import { createRng } from '../core/rng.ts';
import { createDetectorState, detectWindow, type DetectorConfig } from '../pipeline/detect/index.ts';
import { background, DB, SERVICE } from '../pipeline/detect/test-background.ts';
import { sshd } from '../pipeline/detect/test-records.ts';
import { scoreIsolationForest, trainIsolationForest } from '../pipeline/detect/isolation-forest.ts';
import { TemplateMiner } from '../pipeline/detect/template-miner.ts';

const W = 60_000;
const T0 = Date.UTC(2026, 10, 21, 0, 0, 0);
const TOPOLOGY = { dependencies: [{ from: `ecs:${SERVICE}`, to: `app:${SERVICE}` }, { from: `app:${SERVICE}`, to: `rds:${DB}` }] };

function windowRecords(w: number, scale: number): NormalizedRecord[] {
  const start = T0 + w * W;
  // Scale by independent estates (each with its own clients, users and hosts), not by copying lines: copies
  // would turn one stray background event into a burst and measure false positives instead of speed.
  const out: NormalizedRecord[] = [];
  for (let k = 0; k < scale; k++) for (const r of background(`bench-${k}`, start)) out.push({ ...r, id: `${r.id}#${k}` });
  // An SSH brute force in the middle, so episodes and findings are part of the cost.
  if (w >= 12 && w < 16) for (let i = 0; i < 50; i++) out.push(sshd(start + i * 1000, { kind: 'ssh-failed', rhost: '185.220.101.45', user: `u${i}` }));
  return out;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
}

function runDetector(label: string, windows: number, scale: number, config: Partial<DetectorConfig> = {}): void {
  const data = Array.from({ length: windows }, (_, w) => windowRecords(w, scale));
  let state = createDetectorState();
  const lat: number[] = [];
  let records = 0;
  const kinds: string[] = [];
  const t0 = performance.now();
  for (let w = 0; w < windows; w++) {
    const a = performance.now();
    const r = detectWindow(state, data[w]!, { start: T0 + w * W, end: T0 + (w + 1) * W }, TOPOLOGY, config);
    lat.push(performance.now() - a);
    state = r.state;
    records += data[w]!.length;
    for (const c of r.changes) if (c.change === 'created') kinds.push(r.findings.find((f) => f.findingId === c.findingId)!.kind);
  }
  const total = (performance.now() - t0) / 1000;
  const stateKb = Buffer.byteLength(JSON.stringify(state)) / 1024;
  console.log(
    `${label.padEnd(34)} ${String(Math.round(records / windows)).padStart(6)} rec/window  ${String(Math.round(records / total)).padStart(8)} rec/s  ` +
      `window p50 ${pct(lat, 0.5).toFixed(1)} ms  p95 ${pct(lat, 0.95).toFixed(1)} ms  max ${Math.max(...lat).toFixed(1)} ms  state ${stateKb.toFixed(0)} KiB  findings: ${kinds.join(', ') || 'none'}`,
  );
}

function runModels(): void {
  const rng = createRng('bench-models');
  const rows = Array.from({ length: 512 }, () => Array.from({ length: 7 }, () => rng.normal(0, 1)));
  let a = performance.now();
  const model = trainIsolationForest(rows, { seed: 1 });
  const trainMs = performance.now() - a;
  a = performance.now();
  const n = 20_000;
  for (let i = 0; i < n; i++) scoreIsolationForest(model, rows[i % rows.length]!);
  const scorePerSec = n / ((performance.now() - a) / 1000);
  console.log(`isolation forest (100 trees, ψ=256, 7 dims): train ${trainMs.toFixed(1)} ms, score ${Math.round(scorePerSec)} vectors/s`);

  const miner = new TemplateMiner();
  const lines = Array.from({ length: 50_000 }, (_, i) => [
    `Failed password for user${i % 97} from 203.0.${i % 256}.${i % 200} port ${40000 + (i % 20000)} ssh2`,
    `2026-11-21 11:00:00 UTC:10.0.1.${i % 50}(5432):app@orders:[${1000 + i}]:LOG:  connection received: host=10.0.1.${i % 9} port=${1000 + i}`,
    `GET /checkout/${i} 200 ${i % 300}ms`,
    `processed order ${i} in ${i % 80} ms`,
  ][i % 4]!);
  a = performance.now();
  for (const l of lines) miner.add(l);
  console.log(`template miner: ${Math.round(lines.length / ((performance.now() - a) / 1000))} lines/s, ${miner.size} templates`);
}

console.log(`firedrill detector bench (node ${process.version})`);
runModels();
runDetector('all detectors, 1x background', 60, 1);
runDetector('all detectors, 5x background', 60, 5);
runDetector('signatures only, 5x background', 60, 5, { templates: false, iforest: false });
runDetector('all detectors, 20x background', 20, 20);
