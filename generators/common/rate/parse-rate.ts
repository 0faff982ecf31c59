import { ConfigError } from '../../../core/index.ts';

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 } as const;

/** Parses `2000/s`, `50/m`, `3/h`, `100/d` (or a bare number = per second) into events per second. */
export function parseRate(text: string | number): number {
  if (typeof text === 'number') {
    if (text >= 0 && Number.isFinite(text)) return text;
    throw new ConfigError('invalid rate', { expected: 'a finite number >= 0 (events/s)', seen: String(text) });
  }
  const m = /^\s*(\d+(?:\.\d+)?(?:e\d+)?)\s*(?:\/\s*(s|m|h|d))?\s*$/i.exec(text);
  if (!m) {
    throw new ConfigError('invalid rate', {
      expected: 'a rate such as 2000/s, 50/m, 3/h or 100/d',
      seen: JSON.stringify(text),
      fix: 'write <number>/<s|m|h|d>',
    });
  }
  const unit = (m[2] ?? 's').toLowerCase() as keyof typeof UNIT_SECONDS;
  return Number(m[1]) / UNIT_SECONDS[unit];
}
