/**
 * `npm run bench:drill [-- --only waf]`: wall time of each catalog drill end to end on the embedded emulator
 * (bootstrap after a reset, compile, ingest, detector ticks, remediation, read-back, scoring) and of the whole
 * catalog, with the phase split from the runner's progress events. Prints figures; asserts nothing.
 */
import { isVolumeDrill, listCatalog } from '../scenarios/index.ts';
import { startEmulator } from '../emulator/index.ts';
import { runDrill, type DrillPhase } from '../harness/drill/index.ts';

const i = process.argv.indexOf('--only');
const only = i > 0 ? process.argv[i + 1] : undefined;
// Production-volume drills have their own command (`npm run drill:volume`).
const drills = listCatalog().filter((c) => (only ? c.id.includes(only) : !isVolumeDrill(c)));

const started = Date.now();
await using emulator = await startEmulator();
// Starting moto includes its warm-up (one call per service), paid once per emulator, outside every drill.
const startSeconds = (Date.now() - started) / 1000;
const rows: string[] = [];
const t0 = Date.now();
for (const d of drills) {
  const marks: Partial<Record<DrillPhase, number>> = {};
  const { card, plan } = await runDrill(d.file, { endpoint: emulator.endpoint, onProgress: (p) => (marks[p.phase] ??= p.elapsedMs) });
  const span = (a: DrillPhase, b: DrillPhase) => (((marks[b] ?? 0) - (marks[a] ?? 0)) / 1000).toFixed(1);
  const events = card.ledger?.totals.generated ?? 0;
  rows.push(`| ${d.id} | ${card.passed ? 'pass' : 'FAIL'} | ${events} | ${card.wallSeconds!.toFixed(1)} | ${span('bootstrap', 'compile')} | ${span('ingest', 'detect')} | ${span('detect', 'remediate')} | ${span('remediate', 'done')} | ${Math.round(events / card.wallSeconds!)} |`);
  process.stderr.write(`${d.id}: ${card.wallSeconds!.toFixed(1)} s (${plan.window.end - plan.window.start > 0 ? 'ok' : ''})\n`);
}
const total = (Date.now() - t0) / 1000;
console.log(`drills on ${emulator.kind} (${emulator.endpoint}, started and warmed up in ${startSeconds.toFixed(1)} s), ${drills.length} drill(s)\n`);
console.log('| drill | result | events | wall s | bootstrap s | ingest s | detect s | remediate+verify s | events/s |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) console.log(r);
console.log(`\nwhole catalog: ${total.toFixed(1)} s`);
