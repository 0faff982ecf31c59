/**
 * `npm run eval:volume -- <scenario.yaml> [--factor 20] [--duration 30m] [--seed 1]`: a drill's background rates
 * (bases and bursts) multiplied by `factor`, generated, normalized with the registered formats and detected window
 * by window in memory (test/support/detect-offline.ts, no AWS), then scored: events, findings, false positives by
 * kind, and each incident's time to detect. How the production-volume figures of the detector are reproduced and
 * iterated on quickly; `npm run drill:volume` is the end-to-end proof on the emulator. Prints figures only.
 */
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { defaultTopology, syntheticEstate } from '../core/topology/index.ts';
import { compile, parseScenario } from '../scenarios/index.ts';
import { evaluateDrill, toEvaluationInput } from '../harness/evaluate/index.ts';
import { detectOffline } from '../test/support/detect-offline.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const file = process.argv.slice(2).find((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
if (!file) throw new Error('usage: npm run eval:volume -- <scenario.yaml> [--factor 20] [--duration 30m] [--seed 1]');
const factor = Number(arg('factor') ?? 20);
const doc = parse(readFileSync(file, 'utf8')) as { duration: string; background: { rate: string | { base: string; bursts?: { rate: string }[] } }[] };
const scale = (r: string) => {
  const m = /^(\d+(?:\.\d+)?)\/(\w+)$/.exec(r);
  if (!m) throw new Error(`rate ${JSON.stringify(r)}: expected <n>/<unit>`);
  return `${Number(m[1]) * factor}/${m[2]}`;
};
for (const b of doc.background) {
  if (typeof b.rate === 'string') b.rate = scale(b.rate);
  else if (b.rate) {
    b.rate.base = scale(b.rate.base);
    for (const x of b.rate.bursts ?? []) x.rate = scale(x.rate);
  }
}
if (arg('duration')) doc.duration = arg('duration')!;
const scenario = parseScenario(stringify(doc));
const topology = defaultTopology();
const estate = syntheticEstate(topology, 'eval-volume');
const t0 = performance.now();
// A fixed clock, so the diurnal phase (and with it the event count) is the same in every run.
const plan = compile(scenario, estate, { topology, now: Date.UTC(2026, 10, 21, 12, 0, 0), ...(arg('seed') ? { seed: arg('seed')! } : {}) });
const det = detectOffline(plan, estate, topology);
const card = evaluateDrill({ ...toEvaluationInput(plan), findings: det.findings });
const byKind: Record<string, number> = {};
for (const f of card.falsePositiveFindings) byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
console.log(`${scenario.id} ×${factor} over ${doc.duration}: ${det.records} events, ${card.findingsTotal} findings, ${card.falsePositives} false positives ${JSON.stringify(byKind)}, recall ${card.recall === null ? "n/a (no incidents)" : card.recall.toFixed(3)}`);
console.log(`detector ${(det.detectMs / 1000).toFixed(1)} s (${Math.round(det.records / (det.detectMs / 1000))} records/s), whole run ${((performance.now() - t0) / 1000).toFixed(1)} s`);
for (const i of card.incidents) console.log(`  ${i.id} [${i.kind}]: detected ${i.detected ? 'yes' : 'NO'}, time to detect ${i.timeToDetectSeconds ?? '—'} s`);
for (const f of card.falsePositiveFindings.slice(0, 10)) console.log(`  false positive ${f.kind}: ${f.summary}`);
