import type { DrillScorecard } from '../evaluate/types.ts';
import { esc } from './html-escape.ts';
import { CHART, timeScale, timeTicks } from './time-axis.ts';

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const H = 64;
const TOP = 6;
const BOTTOM = 18;

/**
 * One small chart per source, each on its own vertical axis: on one shared linear axis a few hundred
 * CloudTrail or ECS events lie flat at zero beside tens of thousands of WAF requests, and an incident in them
 * (a leaked key) is invisible. Incident windows are shaded faintly so a burst can be read against them; the
 * lanes above name them.
 */
export function sourceCharts(card: DrillScorecard): string {
  const tl = card.timeline;
  if (!tl) return '';
  const x = timeScale(card.window);
  const series = Object.entries(tl.counts).filter((e): e is [string, number[]] => Array.isArray(e[1]));
  return `<div class="source-charts">${series
    .map(([source, counts], i) => {
      const max = Math.max(1, ...counts);
      const y = (v: number) => H - BOTTOM - (v / max) * (H - TOP - BOTTOM);
      const total = counts.reduce((a, b) => a + b, 0);
      const colour = PALETTE[i % PALETTE.length];
      const pts = counts.map((v, j) => `${x(tl.start + (j + 0.5) * tl.bucketMs).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
      const shades = card.incidents
        .map((inc) => `<rect class="window-shade" x="${x(inc.window.start).toFixed(1)}" y="${TOP}" width="${Math.max(1, x(inc.window.end) - x(inc.window.start)).toFixed(1)}" height="${H - TOP - BOTTOM}" fill="#999" fill-opacity="0.08"/>`)
        .join('');
      const perBucket = `${tl.bucketMs / 1000} s`;
      return `<svg xmlns="http://www.w3.org/2000/svg" class="source-chart" data-testid="source-chart" data-source="${esc(source)}" data-max="${max}" viewBox="0 0 ${CHART.width} ${H}" width="100%" role="img" aria-label="${esc(source)} events per ${perBucket}, own axis">${shades}`
        + `<text x="${CHART.left - 6}" y="${TOP + 10}" font-size="11" text-anchor="end"><tspan font-weight="bold" fill="${colour}">${esc(source)}</tspan> max ${max}</text>`
        + `<text x="${CHART.left - 6}" y="${TOP + 24}" font-size="10" text-anchor="end" fill="#666">${total} events · per ${perBucket}</text>`
        + `<text x="${CHART.left - 6}" y="${H - BOTTOM}" font-size="10" text-anchor="end" fill="#666">0</text>`
        + `<line x1="${CHART.left}" y1="${H - BOTTOM}" x2="${CHART.width - CHART.right}" y2="${H - BOTTOM}" stroke="#999"/><line x1="${CHART.left}" y1="${TOP}" x2="${CHART.left}" y2="${H - BOTTOM}" stroke="#999"/>`
        + `<polyline class="series" data-source="${esc(source)}" data-total="${total}" fill="none" stroke="${colour}" stroke-width="1.5" points="${pts}"><title>${esc(source)}: ${total} events</title></polyline>`
        + `${i === series.length - 1 ? timeTicks(card.window, H - 4) : ''}</svg>`;
    })
    .join('')}</div>`;
}
