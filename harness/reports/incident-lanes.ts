import type { DrillScorecard } from '../evaluate/types.ts';
import { esc, utcClock } from './html-escape.ts';
import { CHART, timeScale, timeTicks } from './time-axis.ts';

const LANE = 22;
const TOP = 6;
const AXIS = 22;
/** What fits the label gutter at 11 px; the whole label is the tooltip. */
const LABEL_CHARS = 32;
/** The lane of findings that explain no incident. */
const FP_LANE = 'no incident (false positives)';

/**
 * The incidents as lanes over event time, one labelled lane per incident so overlapping windows stay apart
 * (shaded together they read as one band), and a last lane for findings that match no incident. Each finding
 * is marked on the lane of the incident it counts for; remediation on its incident's lane.
 */
export function incidentLanes(card: DrillScorecard): string {
  const x = timeScale(card.window);
  const lanes = [...card.incidents.map((i) => i.id), FP_LANE];
  const laneY = (i: number) => TOP + i * LANE;
  const height = TOP + lanes.length * LANE + AXIS;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" class="timeline incident-lanes" data-testid="timeline" viewBox="0 0 ${CHART.width} ${height}" width="100%" role="img" aria-label="incident windows, findings and remediation over event time (UTC)">`);
  card.incidents.forEach((inc, i) => {
    const y = laneY(i);
    const x0 = x(inc.window.start), x1 = x(inc.window.end);
    const colour = inc.passed ? '#2ca02c' : '#d62728';
    const label = `${inc.id} · ${inc.kind}`;
    parts.push(`<text class="incident-label" data-incident="${esc(inc.id)}" x="${CHART.left - 6}" y="${y + 15}" font-size="11" text-anchor="end">${esc(label.length > LABEL_CHARS ? `${label.slice(0, LABEL_CHARS - 1)}…` : label)}<title>${esc(label)}</title></text>`);
    parts.push(`<rect class="incident-window" data-incident="${esc(inc.id)}" x="${x0.toFixed(1)}" y="${y + 3}" width="${Math.max(2, x1 - x0).toFixed(1)}" height="${LANE - 6}" fill="${colour}" fill-opacity="0.25" stroke="${colour}"><title>${esc(inc.id)} (${esc(inc.kind)}) ${utcClock(inc.window.start)}–${utcClock(inc.window.end)} UTC</title></rect>`);
  });
  const fpY = laneY(lanes.length - 1);
  parts.push(`<text class="incident-label fp-lane" x="${CHART.left - 6}" y="${fpY + 15}" font-size="11" text-anchor="end" fill="#8a6d00">${FP_LANE}</text>`);
  for (let i = 0; i <= lanes.length; i++) parts.push(`<line x1="${CHART.left}" x2="${CHART.width - CHART.right}" y1="${laneY(i)}" y2="${laneY(i)}" stroke="#eee"/>`);
  const laneOf = new Map(card.incidents.map((inc, i) => [inc.id, i]));
  // The axis is event time: a finding that states no event time has no place on it (the findings table lists it).
  for (const f of card.findings) {
    if (f.detectedAt === undefined) continue;
    const home = [...f.detects, ...f.explains].find((id) => laneOf.has(id));
    const lane = home === undefined ? lanes.length - 1 : laneOf.get(home)!;
    const fx = x(f.detectedAt), cy = laneY(lane) + LANE / 2;
    parts.push(`<g class="finding-marker" data-kind="${esc(f.kind ?? 'finding')}" data-finding="${esc(f.findingId)}"><circle cx="${fx.toFixed(1)}" cy="${cy}" r="4" fill="${home === undefined ? '#8a6d00' : '#000'}"/><title>finding ${esc(f.kind ?? '')} at ${utcClock(f.detectedAt)} UTC: ${esc(f.summary)}</title></g>`);
  }
  card.incidents.forEach((inc, i) => {
    if (!inc.remediation?.executed) return;
    const first = card.findings.find((f) => f.detectedAt !== undefined && inc.matchingFindingIds.includes(f.findingId));
    if (first?.detectedAt === undefined) return;
    const rx = x(first.detectedAt) + 8;
    parts.push(`<g class="remediation-marker" data-incident="${esc(inc.id)}"><rect x="${rx.toFixed(1)}" y="${laneY(i) + 6}" width="10" height="10" fill="${inc.remediation.verified ? '#2ca02c' : '#d62728'}"/><title>remediation for ${esc(inc.id)}: ${inc.remediation.verified ? 'verified' : 'not verified'}</title></g>`);
  });
  const axisY = laneY(lanes.length);
  parts.push(`<line x1="${CHART.left}" y1="${axisY}" x2="${CHART.width - CHART.right}" y2="${axisY}" stroke="#333"/>`, timeTicks(card.window, axisY + 15), '</svg>');
  return parts.join('');
}
