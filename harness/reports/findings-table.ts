import type { DrillScorecard } from '../evaluate/types.ts';
import { findingEvidence } from './finding-evidence.ts';
import { esc, utcClock } from './html-escape.ts';

/** Beyond this many rows the table says how many more the scorecard JSON holds (a report must stay openable). */
const MAX_ROWS = 200;

/**
 * Every finding of the drill with what it rests on: kind, entities, summary, sample lines, the analyzer's
 * explanation when there is one, and the incident(s) it counts for, or "false positive" when it matches none.
 */
export function findingsTable(card: DrillScorecard): string {
  if (card.findings.length === 0) return '<h3>Findings</h3><p class="no-findings">no finding was raised</p>';
  const sorted = [...card.findings].sort((a, b) => (a.detectedAt ?? a.observedAt) - (b.detectedAt ?? b.observedAt));
  const rows = sorted.slice(0, MAX_ROWS).map((f) => {
    const ev = findingEvidence(f.raw);
    const matched = [...new Set([...f.detects, ...f.explains])];
    const when = f.detectedAt !== undefined ? `${utcClock(f.detectedAt)}` : `${utcClock(f.observedAt)} (seen, wall)`;
    const lines = ev.sampleLines.length ? `<pre class="sample-lines">${ev.sampleLines.map(esc).join('\n')}</pre>` : '<span class="none">none given</span>';
    const analysis = ev.analysis
      ? `<div class="analysis"><span class="category">${esc(ev.analysis.category ?? '')}</span> ${esc(ev.analysis.explanation)}${ev.analysis.suggestedAction ? `<div class="action">→ ${esc(ev.analysis.suggestedAction)}</div>` : ''}</div>`
      : '';
    const match = matched.length ? matched.map((id) => `<span class="incident-ref">${esc(id)}</span>`).join(', ') : '<span class="false-positive">false positive</span>';
    return `<tr data-finding="${esc(f.findingId)}" class="${matched.length ? 'matched' : 'fp'}"><td class="when">${when}</td><td class="kind">${esc(f.kind ?? '—')}</td><td class="entities">${f.entities.map(esc).join('<br>')}</td><td class="summary">${esc(f.summary)}${analysis}</td><td class="evidence">${lines}</td><td class="matched">${match}</td></tr>`;
  });
  const more = sorted.length > MAX_ROWS ? `<p class="more">${sorted.length - MAX_ROWS} more finding(s) in scorecard.json</p>` : '';
  return `<h3>Findings</h3>
<table class="findings"><tr><th>detected (UTC)</th><th>kind</th><th>entities</th><th>summary</th><th>sample lines</th><th>matched incident</th></tr>
${rows.join('\n')}
</table>${more}`;
}
