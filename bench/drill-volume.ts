/**
 * `npm run drill:volume [-- --only quiet]`: the catalog's production-volume drills (tagged `volume`, about a
 * million events each) end to end on the embedded emulator — sinks, normalizer, detector ticks, remediation,
 * read-back, scoring — with each scorecard printed. Too slow for the CI suite's catalog loop; this is where their
 * figures come from. Exits 1 when a drill fails its expectations.
 */
import { isVolumeDrill, listCatalog } from '../scenarios/index.ts';
import { startEmulator } from '../emulator/index.ts';
import { runDrill, type DrillPhase } from '../harness/drill/index.ts';
import { renderScorecard } from '../harness/reports/index.ts';

const i = process.argv.indexOf('--only');
const only = i > 0 ? process.argv[i + 1] : undefined;
const drills = listCatalog().filter((c) => isVolumeDrill(c) && (!only || c.id.includes(only)));

await using emulator = await startEmulator();
const rows: string[] = [];
let failed = 0;
for (const d of drills) {
  const marks: Partial<Record<DrillPhase, number>> = {};
  const t0 = Date.now();
  const { card } = await runDrill(d.file, {
    endpoint: emulator.endpoint,
    onProgress: (p) => {
      if (marks[p.phase] === undefined) process.stderr.write(`${d.id}: ${p.phase} at ${(p.elapsedMs / 1000).toFixed(0)} s\n`);
      marks[p.phase] ??= p.elapsedMs;
    },
  });
  const wall = (Date.now() - t0) / 1000;
  const span = (a: DrillPhase, b: DrillPhase) => (((marks[b] ?? 0) - (marks[a] ?? 0)) / 1000).toFixed(0);
  const events = card.ledger?.totals.generated ?? 0;
  if (!card.passed) failed++;
  process.stdout.write(`${renderScorecard(card)}\n`);
  rows.push(`| ${d.id} | ${card.passed ? 'pass' : 'FAIL'} | ${events} | ${card.ledger?.totals.normalized ?? '—'} | ${card.findingsTotal} | ${card.falsePositives} | ${card.incidents.filter((x) => x.detected).length}/${card.incidents.length} | ${wall.toFixed(0)} | ${span('ingest', 'detect')} | ${span('detect', 'remediate')} | ${Math.round(events / wall)} |`);
}
console.log(`production-volume drills on ${emulator.kind} (${emulator.endpoint})\n`);
console.log('| drill | result | events | normalized | findings | false pos. | detected | wall s | ingest s | detect s | events/s |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) console.log(r);
process.exitCode = failed ? 1 : 0;
