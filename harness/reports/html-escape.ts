/** Text made safe for HTML content and attribute values. */
export function esc(s: unknown): string {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** An epoch-ms instant as `HH:MM:SS` in UTC (reports always say UTC next to it). */
export const utcClock = (ms: number): string => new Date(ms).toISOString().slice(11, 19);

/** An epoch-ms instant as `YYYY-MM-DD HH:MM:SS UTC`. */
export const utcDateTime = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
