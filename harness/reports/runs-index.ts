import type { DrillScorecard } from '../evaluate/types.ts';
import { esc, utcDateTime } from './html-escape.ts';

/** One kept run as the index page shows it (read back from its scorecard.json). */
export interface KeptRun {
  /** The run's folder name under runs/. */
  id: string;
  generatedAt: number;
  drills: DrillScorecard[];
}

/** How many runs, newest first, the comparison table puts side by side. */
const COMPARE_RUNS = 12;

const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(0)}%`);

function cell(card: DrillScorecard | undefined): string {
  if (!card) return '<td class="absent">—</td>';
  if (card.error) return `<td class="error" title="${esc(card.error.message.split('\n')[0])}">! error</td>`;
  const ttds = card.incidents.map((i) => i.timeToDetectSeconds).filter((t): t is number => t !== null);
  const ttd = ttds.length ? ` · ttd ≤ ${Math.max(...ttds).toFixed(0)} s` : '';
  return `<td class="${card.passed ? 'pass' : 'fail'}" data-scenario="${esc(card.scenarioId)}">${card.passed ? '✔' : '✘'} recall ${pct(card.recall)} · FP ${card.falsePositives}/${card.falsePositiveBudget}${ttd}</td>`;
}

/**
 * The index of the runs kept in a report directory: one row per run (newest first) linking to its report,
 * and a table of scenario × run so a change in recall, false positives or time to detect between runs shows.
 */
export function toIndexHtml(runs: KeptRun[], unreadable: string[] = []): string {
  const newest = [...runs].sort((a, b) => b.generatedAt - a.generatedAt);
  const rows = newest
    .map((r) => {
      const passed = r.drills.filter((d) => d.passed).length;
      const findings = r.drills.reduce((n, d) => n + d.findingsTotal, 0);
      const fps = r.drills.reduce((n, d) => n + d.falsePositives, 0);
      return `<tr data-run="${esc(r.id)}" class="${passed === r.drills.length ? 'pass' : 'fail'}"><td><a href="runs/${encodeURIComponent(r.id)}/report.html">${esc(r.id)}</a></td><td>${utcDateTime(r.generatedAt)}</td><td class="passed">${passed}/${r.drills.length}</td><td>${r.drills.map((d) => esc(d.scenarioId)).join(', ')}</td><td class="findings">${findings}</td><td class="false-positives">${fps}</td></tr>`;
    })
    .join('\n');
  const compared = newest.slice(0, COMPARE_RUNS);
  const scenarios = [...new Set(compared.flatMap((r) => r.drills.map((d) => d.scenarioId)))].sort();
  const compare = scenarios
    .map((s) => `<tr data-scenario="${esc(s)}"><th>${esc(s)}</th>${compared.map((r) => cell(r.drills.find((d) => d.scenarioId === s))).join('')}</tr>`)
    .join('\n');
  const skipped = unreadable.length ? `<p class="unreadable">left out (no readable scorecard.json): ${unreadable.map(esc).join(', ')}</p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>firedrill runs</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
tr.fail td:first-child{border-left:4px solid #d62728}tr.pass td:first-child{border-left:4px solid #2ca02c}td.fail{background:#fdecea}td.pass{background:#eef8ee}td.error{background:#f5d5d5}
</style></head><body>
<h1>firedrill runs</h1>
<p id="runs-summary" data-runs="${runs.length}">${runs.length} run(s) kept in this directory; times in UTC. <a href="report.html">latest report</a></p>
<table class="runs"><tr><th>run</th><th>generated</th><th>drills passed</th><th>drills</th><th>findings</th><th>false positives</th></tr>
${rows}
</table>
<h2>Compared (newest ${compared.length} run(s), newest first)</h2>
<table class="compare"><tr><th>scenario</th>${compared.map((r) => `<th><a href="runs/${encodeURIComponent(r.id)}/report.html">${esc(r.id)}</a></th>`).join('')}</tr>
${compare}
</table>
${skipped}
</body></html>
`;
}
