import type { DrillScorecard } from '../evaluate/types.ts';

function esc(s: unknown): string {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
/** A rate, or n/a when the scorecard claims none (unlabelled truth). */
const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
const secs = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${x.toFixed(0)} s`);
const clock = (ms: number) => new Date(ms).toISOString().slice(11, 19);

/**
 * The timeline as inline SVG (no script, no external asset, so the report opens anywhere and can be
 * attached to a CI run): events per source over event time, incident windows shaded, findings and
 * remediation marked.
 */
function timelineSvg(card: DrillScorecard): string {
  const W = 960, H = 260, L = 48, R = 12, T = 14, B = 28;
  const { start, end } = card.window;
  const span = Math.max(1, end - start);
  const x = (t: number) => L + ((t - start) / span) * (W - L - R);
  const tl = card.timeline;
  const series = tl ? Object.entries(tl.counts) : [];
  const max = Math.max(1, ...series.flatMap(([, v]) => v ?? []));
  const y = (v: number) => H - B - (v / max) * (H - T - B);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" id="timeline-${esc(card.scenarioId)}" class="timeline" data-testid="timeline" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="events per source over event time">`);
  for (const inc of card.incidents) {
    const x0 = x(inc.window.start), x1 = x(inc.window.end);
    parts.push(`<rect class="incident-window" data-incident="${esc(inc.id)}" x="${x0.toFixed(1)}" y="${T}" width="${Math.max(1, x1 - x0).toFixed(1)}" height="${H - T - B}" fill="${inc.passed ? '#2ca02c' : '#d62728'}" fill-opacity="0.12"><title>${esc(inc.id)} (${esc(inc.kind)}) ${clock(inc.window.start)}–${clock(inc.window.end)}</title></rect>`);
  }
  parts.push(`<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="#333"/><line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="#333"/>`);
  for (let i = 0; i <= 4; i++) {
    const t = start + (span * i) / 4;
    const anchor = i === 0 ? 'start' : i === 4 ? 'end' : 'middle';
    parts.push(`<text x="${x(t).toFixed(1)}" y="${H - 8}" font-size="11" text-anchor="${anchor}">${clock(t)}</text>`);
  }
  parts.push(`<text x="${L - 6}" y="${T + 10}" font-size="11" text-anchor="end">${max}</text><text x="${L - 6}" y="${H - B}" font-size="11" text-anchor="end">0</text>`);
  series.forEach(([source, counts], i) => {
    if (!tl || !counts) return;
    const pts = counts.map((v, j) => `${x(tl.start + (j + 0.5) * tl.bucketMs).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    const total = counts.reduce((a, b) => a + b, 0);
    parts.push(`<polyline class="series" data-source="${esc(source)}" data-total="${total}" fill="none" stroke="${PALETTE[i % PALETTE.length]}" stroke-width="1.5" points="${pts}"><title>${esc(source)}: ${total} events</title></polyline>`);
  });
  // The axis is event time: a finding that states no event time has no place on it (it is listed, not drawn).
  for (const f of card.findings) {
    if (f.detectedAt === undefined) continue;
    const fx = x(f.detectedAt);
    parts.push(`<g class="finding-marker" data-kind="${esc(f.kind ?? 'finding')}"><line x1="${fx.toFixed(1)}" y1="${T}" x2="${fx.toFixed(1)}" y2="${H - B}" stroke="#000" stroke-dasharray="3,3"/><circle cx="${fx.toFixed(1)}" cy="${T + 4}" r="4" fill="#000"/><title>finding ${esc(f.kind ?? '')} at ${clock(f.detectedAt)}: ${esc(f.summary)}</title></g>`);
  }
  for (const inc of card.incidents) {
    if (!inc.remediation?.executed) continue;
    const first = card.findings.find((f) => f.detectedAt !== undefined && inc.matchingFindingIds.includes(f.findingId));
    if (first?.detectedAt === undefined) continue;
    const rx = x(first.detectedAt);
    parts.push(`<g class="remediation-marker" data-incident="${esc(inc.id)}"><rect x="${(rx - 5).toFixed(1)}" y="${H - B - 10}" width="10" height="10" fill="${inc.remediation.verified ? '#2ca02c' : '#d62728'}"/><title>remediation for ${esc(inc.id)}: ${inc.remediation.verified ? 'verified' : 'not verified'}</title></g>`);
  }
  parts.push('</svg>');
  const legend = series.map(([s], i) => `<span class="legend-item"><i style="background:${PALETTE[i % PALETTE.length]}"></i>${esc(s)}</span>`).join(' ');
  return `${parts.join('')}<div class="legend">${legend} <span class="legend-item"><i style="background:#000"></i>finding</span> <span class="legend-item"><i style="background:#2ca02c"></i>remediation verified</span></div>`;
}

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
  const fps = card.falsePositiveFindings.length
    ? `<h3>False positives</h3><ul>${card.falsePositiveFindings.map((f) => `<li>${esc(f.kind)} ${f.detectedAt === undefined ? `seen ${clock(f.observedAt)} (wall)` : `at ${clock(f.detectedAt)}`} via ${esc(f.tap)}: ${esc(f.summary)}</li>`).join('')}</ul>`
    : '';
  return `<section class="drill ${card.passed ? 'pass' : 'fail'}" data-scenario="${esc(card.scenarioId)}">
<h2>${card.passed ? '✔' : '✘'} ${esc(card.scenarioId)} — ${esc(card.title)}</h2>
<p>seed ${esc(card.seed)} · event time ${new Date(card.window.start).toISOString()} → ${new Date(card.window.end).toISOString()}${card.wallSeconds !== undefined ? ` · ${card.wallSeconds.toFixed(1)} s wall time` : ''}</p>
${targetTable(card)}
${timelineSvg(card)}
<table class="totals"><tr><th>precision</th><th>recall</th><th>F1</th><th>false positives</th><th>findings</th></tr>
<tr><td class="precision">${pct(card.precision)}</td><td class="recall">${pct(card.recall)}</td><td class="f1">${pct(card.f1)}</td><td class="false-positives">${card.falsePositives} / ${card.falsePositiveBudget}</td><td class="findings-total">${card.findingsTotal}</td></tr></table>
<h3>Incidents</h3>
<table class="incidents"><tr><th>incident</th><th>kind</th><th>detected</th><th>time to detect</th><th>wall time to detect</th><th>root cause</th><th>remediation</th><th>time to remediate</th><th>failures</th></tr>
${rows || '<tr><td colspan="9">no incidents: the background alone must raise no finding</td></tr>'}
</table>
${fps}
${ledger}
</section>`;
}

/** A self-contained HTML report (inline CSS and SVG, no script). */
export function toHtml(cards: DrillScorecard[], generatedAt = new Date()): string {
  const passed = cards.filter((c) => c.passed).length;
  const unsupported = cards.reduce((n, c) => n + c.unsupported.length, 0);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>firedrill report</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
tr.fail td{background:#fdecea}tr.pass td:first-child{border-left:4px solid #2ca02c}tr.fail td:first-child{border-left:4px solid #d62728}
.unsupported{color:#8a6d00}tr.unsupported td{background:#fff8e1}
section.drill{border-top:2px solid #ddd;margin-top:24px;padding-top:8px}.legend-item{margin-right:12px}.legend-item i{display:inline-block;width:10px;height:10px;margin-right:4px}
</style></head><body>
<h1>firedrill report</h1>
<p id="summary" data-passed="${passed}" data-total="${cards.length}" data-unsupported="${unsupported}">${passed}/${cards.length} drill(s) passed${unsupported ? ` · <span class="unsupported">${unsupported} expectation(s) unsupported on this target</span>` : ''} · generated ${generatedAt.toISOString()}</p>
${cards.map(drillSection).join('\n')}
</body></html>
`;
}
