import { utcClock } from './html-escape.ts';

/** Width, left gutter (labels) and right margin shared by every chart of a drill, so their time axes line up. */
export const CHART = { width: 960, left: 200, right: 12 } as const;

/** Maps event time onto the shared horizontal axis of a drill's charts. */
export function timeScale(window: { start: number; end: number }): (t: number) => number {
  const span = Math.max(1, window.end - window.start);
  return (t: number) => CHART.left + ((t - window.start) / span) * (CHART.width - CHART.left - CHART.right);
}

/** Five UTC tick labels along the axis at height `y`. */
export function timeTicks(window: { start: number; end: number }, y: number): string {
  const x = timeScale(window);
  const span = window.end - window.start;
  const out: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const t = window.start + (span * i) / 4;
    const anchor = i === 0 ? 'start' : i === 4 ? 'end' : 'middle';
    out.push(`<text class="tick" x="${x(t).toFixed(1)}" y="${y}" font-size="11" text-anchor="${anchor}">${utcClock(t)}${i === 4 ? ' UTC' : ''}</text>`);
  }
  return out.join('');
}
