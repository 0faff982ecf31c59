import type { DrillScorecard } from '../evaluate/types.ts';
import { findingsTable } from './findings-table.ts';
import { esc, utcDateTime } from './html-escape.ts';
import { incidentLanes } from './incident-lanes.ts';
import { sourceCharts } from './source-charts.ts';
import { explanationsLine } from './terminal.ts';

/** A rate, or n/a when the scorecard claims none (unlabelled truth). */
const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
const secs = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${x.toFixed(0)} s`);

function remediationCell(inc: DrillScorecard['incidents'][number]): string {
  const r = inc.remediation;
  if (!r) return '—';
  const ran = r.expected > 0 ? `${r.planned ? 'planned' : '—'} → ${r.executed ? 'executed' : '—'} → ${r.verified ? 'verified' : 'NOT verified'}` : '';
  const skipped = r.unsupported.length ? `<span class="unsupported">${r.unsupported.map((u) => esc(u.outcome)).join(', ')}: unsupported on this target</span>` : '';
  return [ran, skipped].filter(Boolean).join('<br>');
}

/** The supported / unsupported matrix: one row per AWS service the topology uses. */
function targetTable(card: DrillScorecard): string {
  if (!card.target) return '';
  const rows = card.target.services
    .map((s) => `<tr class="${s.supported ? 'supported' : 'unsupported'}" data-service="${esc(s.service)}"><td>${esc(s.service)}</td><td>${s.supported ? 'supported' : 'unsupported'}</td><td>${esc(s.reason ?? '')}</td></tr>`)
    .join('');
  const skipped = card.unsupported.length ? `<ul class="unsupported-expectations">${card.unsupported.map((u) => `<li class="unsupported">${esc(u)}</li>`).join('')}</ul>` : '';
  return `<details class="target"${card.unsupported.length ? ' open' : ''}><summary>Target: <span class="target-name">${esc(card.target.target)}</span> · ${card.unsupported.length} expectation(s) unsupported on this target</summary>
<table class="capabilities"><tr><th>service</th><th>on this target</th><th>why not</th></tr>${rows}</table>${skipped}</details>`;
}

function drillSection(card: DrillScorecard): string {
  if (card.error) {
    return `<section class="drill error" data-scenario="${esc(card.scenarioId)}">
<h2>! ${esc(card.scenarioId)} — did not run to the end (${esc(card.error.type)})</h2>
<pre class="drill-error">${esc(card.error.message)}</pre>
</section>`;
  }
  const rows = card.incidents
    .map((inc) => `<tr data-incident="${esc(inc.id)}" class="${inc.passed ? 'pass' : 'fail'}"><td>${esc(inc.id)}</td><td>${esc(inc.kind)}</td><td class="detected">${inc.detected ? 'yes' : 'no'}</td><td class="ttd">${secs(inc.timeToDetectSeconds)}</td><td class="wall-ttd">${secs(inc.wallTimeToDetectSeconds)}</td><td class="root-cause">${inc.rootCauseCorrect === undefined ? '—' : `${inc.rootCauseCorrect ? 'right' : 'wrong'}${inc.rootCauseObserved ? `: ${esc(inc.rootCauseObserved.join(' → '))}` : ''}`}</td><td class="remediation">${remediationCell(inc)}</td><td class="ttr">${secs(inc.remediation?.timeToRemediateSeconds)}</td><td>${[...inc.failures.map(esc), ...inc.unsupported.map((u) => `<span class="unsupported">${esc(u)}</span>`)].join('<br>')}</td></tr>`)
    .join('\n');
  const ledger = card.ledger
    ? `<h3>Delivery ledger: <span class="ledger-status">${card.ledger.balanced ? 'balanced' : 'UNBALANCED'}</span></h3><table class="ledger"><tr>${Object.keys(card.ledger.totals).map((k) => `<th>${esc(k)}</th>`).join('')}</tr><tr>${Object.entries(card.ledger.totals).map(([k, v]) => `<td data-count="${esc(k)}">${v}</td>`).join('')}</tr></table>`
    : '';
  const explained = card.incidents.filter((i) => i.explanation);
  const explanations = explained.length
    ? `<h3>Explanations: <span class="explanations-line">${esc(card.explanations ? explanationsLine(card.explanations) : '')}</span></h3><table class="explanations"><tr><th>incident</th><th>finding</th><th>class</th><th>root named</th><th>class right</th><th>explanation</th></tr>${explained
        .map((i) => {
          const e = i.explanation!;
          return `<tr data-incident="${esc(i.id)}" class="${e.correct ? 'pass' : 'fail'}"><td>${esc(i.id)}</td><td>${esc(e.findingId)}</td><td class="failure-class">${esc(e.failureClass ?? '—')}</td><td>${e.rootNamed ? 'yes' : 'no'}</td><td>${e.classCorrect === null ? '—' : e.classCorrect ? 'yes' : `no (${esc(e.expectedClasses.join(' or '))})`}</td><td class="explanation">${esc(e.text)}</td></tr>`;
        })
        .join('')}</table>`
    : '';
  // An unlabelled card neither passed nor failed detection: nothing was compared with a truth.
  const nothingJudged = card.unlabelled && card.incidents.length === 0;
  return `<section class="drill ${card.passed ? (card.unlabelled ? 'unlabelled' : 'pass') : 'fail'}" data-scenario="${esc(card.scenarioId)}">
<h2>${card.passed ? (card.unlabelled ? '◌' : '✔') : '✘'} ${esc(card.scenarioId)} — ${esc(card.title)}</h2>
<p>seed ${esc(card.seed)} · event time ${utcDateTime(card.window.start)} → ${utcDateTime(card.window.end)}${card.wallSeconds !== undefined ? ` · ${card.wallSeconds.toFixed(1)} s wall time` : ''}</p>
${targetTable(card)}
${incidentLanes(card)}
${sourceCharts(card)}
<table class="totals"><tr><th>precision</th><th>recall</th><th>F1</th><th>false positives</th><th>findings</th></tr>
<tr><td class="precision">${pct(card.precision)}</td><td class="recall">${pct(card.recall)}</td><td class="f1">${pct(card.f1)}</td><td class="false-positives">${nothingJudged ? 'n/a' : `${card.falsePositives} / ${card.falsePositiveBudget}`}</td><td class="findings-total">${card.findingsTotal}</td></tr></table>
<h3>Incidents</h3>
<table class="incidents"><tr><th>incident</th><th>kind</th><th>detected</th><th>time to detect</th><th>wall time to detect</th><th>root cause</th><th>remediation</th><th>time to remediate</th><th>failures</th></tr>
${rows || '<tr><td colspan="9">no incidents: the background alone must raise no finding</td></tr>'}
</table>
${findingsTable(card)}
${explanations}
${ledger}
</section>`;
}

/** A self-contained HTML report (inline CSS and SVG, no script). */
export function toHtml(cards: DrillScorecard[], generatedAt = new Date(), indexHref = 'index.html'): string {
  const passed = cards.filter((c) => c.passed).length;
  const unsupported = cards.reduce((n, c) => n + c.unsupported.length, 0);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>firedrill report</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
tr.fail td{background:#fdecea}tr.pass td:first-child{border-left:4px solid #2ca02c}tr.fail td:first-child{border-left:4px solid #d62728}
.unsupported{color:#8a6d00}tr.unsupported td{background:#fff8e1}
section.drill{border-top:2px solid #ddd;margin-top:24px;padding-top:8px}.source-charts svg{display:block;margin:0}
table.findings td.evidence pre{margin:0;max-width:520px;overflow-x:auto;font-size:11px;white-space:pre}tr.fp td{background:#fff8e1}.false-positive{color:#8a6d00;font-weight:bold}.analysis{margin-top:4px;color:#444}.analysis .category{font-weight:bold}.none{color:#999}
</style></head><body>
<h1>firedrill report</h1>
<p id="summary" data-passed="${passed}" data-total="${cards.length}" data-unsupported="${unsupported}">${passed}/${cards.length} drill(s) passed${unsupported ? ` · <span class="unsupported">${unsupported} expectation(s) unsupported on this target</span>` : ''} · generated ${utcDateTime(generatedAt.getTime())} · <a class="index-link" href="${esc(indexHref)}">all runs</a></p>
${cards.map(drillSection).join('\n')}
</body></html>
`;
}
