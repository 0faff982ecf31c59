/**
 * `npm run eval:detection [-- --seeds 1,2,3] [--only waf] [--volume]`: detection quality over the whole catalog, several
 * seeds per drill. Each drill is generated, normalized with the registered formats and detected window by
 * window (scenarios/detect-offline.ts), then scored by the same evaluator as `firedrill run` against the truth
 * kept aside. Prints per-drill rows and the totals: recall, precision, F1, median and max time to detect, RCA
 * accuracy. Figures only; the pass/fail gate is the e2e suite.
 */
import { defaultTopology, syntheticEstate } from '../core/topology/index.ts';
import { compile, isVolumeDrill, listCatalog, loadScenario } from '../scenarios/index.ts';
import { evaluateDrill, toEvaluationInput } from '../harness/evaluate/index.ts';
import { createOfflineAnalyzer } from '../pipeline/analyze/index.ts';
import { detectOffline } from '../test/support/detect-offline.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const seeds = (arg('seeds') ?? '1,2,3').split(',').map((s) => s.trim()).filter(Boolean);
const only = arg('only');
// Production-volume drills take minutes each offline: only with --volume (or named by --only).
const volume = process.argv.includes('--volume');
const topology = defaultTopology();
const estate = syntheticEstate(topology, 'eval-detection');

interface Row {
  drill: string;
  runs: number;
  incidents: number;
  detected: number;
  inTime: number;
  findings: number;
  falsePositives: number;
  ttd: number[];
  rca: { right: number; total: number };
  /** Detected incidents whose explanation (offline analyzer) names the true root and an accepted class. */
  explained: { right: number; total: number };
  records: number;
  detectMs: number;
}

const analyzer = createOfflineAnalyzer();
const rows: Row[] = [];
for (const entry of listCatalog()) {
  if (only && !entry.id.includes(only)) continue;
  if (isVolumeDrill(entry) && !volume && !only) continue;
  const row: Row = { drill: entry.id, runs: 0, incidents: 0, detected: 0, inTime: 0, findings: 0, falsePositives: 0, ttd: [], rca: { right: 0, total: 0 }, explained: { right: 0, total: 0 }, records: 0, detectMs: 0 };
  for (const seed of seeds) {
    const plan = compile(await loadScenario(entry.file), estate, { topology, seed });
    const det = detectOffline(plan, estate, topology);
    // As the detector handler does: the (default) offline analyzer attaches an analysis to every finding.
    for (const f of det.findings) f.analysis = await analyzer.analyze(f);
    const card = evaluateDrill({ ...toEvaluationInput(plan), findings: det.findings });
    row.runs++;
    row.records += det.records;
    row.detectMs += det.detectMs;
    row.findings += card.findingsTotal;
    row.falsePositives += card.falsePositives;
    for (const inc of card.incidents) {
      row.incidents++;
      if (inc.detected) row.detected++;
      if (inc.detectedInTime) row.inTime++;
      if (inc.timeToDetectSeconds !== null) row.ttd.push(inc.timeToDetectSeconds);
      if (inc.rootCauseCorrect !== undefined) {
        row.rca.total++;
        if (inc.rootCauseCorrect) row.rca.right++;
      }
      if (inc.detected) {
        row.explained.total++;
        if (inc.explanation?.correct) row.explained.right++;
        else process.stderr.write(`  ${entry.id} seed ${seed}: ${inc.id}: explanation ${inc.explanation ? `wrong [${inc.explanation.failureClass}]: ${inc.explanation.text.slice(0, 160)}` : 'missing'}\n`);
      }
      const detectionFailures = inc.failures.filter((f) => !f.startsWith("remediation"));
      if (detectionFailures.length) process.stderr.write(`  ${entry.id} seed ${seed}: ${inc.id}: ${detectionFailures.join("; ")}\n`);
    }
    for (const fp of card.falsePositiveFindings) process.stderr.write(`  ${entry.id} seed ${seed}: false positive ${fp.kind}: ${fp.summary}\n`);
  }
  rows.push(row);
  process.stderr.write(`${entry.id}: done (${row.runs} seeds)\n`);
}

const median = (xs: number[]) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
};
const pct = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '—');
const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
const fmt = (r: Row) => {
  const recall = r.incidents ? r.detected / r.incidents : 1;
  const precision = r.findings ? (r.findings - r.falsePositives) / r.findings : 1;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return [r.drill, r.runs, r.incidents, pct(recall), pct(precision), pct(f1), r.falsePositives, r.ttd.length ? `${median(r.ttd).toFixed(0)} s` : '—', r.ttd.length ? `${Math.max(...r.ttd).toFixed(0)} s` : '—', r.rca.total ? `${r.rca.right}/${r.rca.total}` : '—', r.explained.total ? `${r.explained.right}/${r.explained.total}` : '—', r.records ? `${Math.round(r.records / (r.detectMs / 1000) / 1000)}k/s` : '—'];
};
const total: Row = rows.reduce((t, r) => ({
  ...t, runs: t.runs + r.runs, incidents: t.incidents + r.incidents, detected: t.detected + r.detected, inTime: t.inTime + r.inTime, findings: t.findings + r.findings,
  falsePositives: t.falsePositives + r.falsePositives, ttd: [...t.ttd, ...r.ttd], rca: { right: t.rca.right + r.rca.right, total: t.rca.total + r.rca.total }, explained: { right: t.explained.right + r.explained.right, total: t.explained.total + r.explained.total }, records: t.records + r.records, detectMs: t.detectMs + r.detectMs,
}), { drill: '**all**', runs: 0, incidents: 0, detected: 0, inTime: 0, findings: 0, falsePositives: 0, ttd: [], rca: { right: 0, total: 0 }, explained: { right: 0, total: 0 }, records: 0, detectMs: 0 } as Row);

console.log(`detection over the catalog, seeds ${seeds.join(', ')} (time to detect in event time from onset)\n`);
console.log(line(['drill', 'runs', 'incidents', 'recall', 'precision', 'F1', 'false pos.', 'median ttd', 'max ttd', 'RCA right', 'explanations right', 'detector speed']));
console.log(line(Array(12).fill('---')));
for (const r of [...rows, total]) console.log(line(fmt(r)));
console.log(`\nincidents detected within their deadline: ${total.inTime}/${total.incidents}`);
