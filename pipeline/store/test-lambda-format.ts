import { FormatError } from '../../core/index.ts';
import type { FormatSpec } from '../../formats/index.ts';

/**
 * For the pruners' unit tests: a Lambda "format" whose lines are `T=<epoch ms> <text>`, so a test writes raw
 * objects whose event times and counts it chooses, and a line of any other shape is quarantined.
 */
export const testLambdaFormat: FormatSpec<unknown> = {
  source: 'lambda',
  title: 'fake',
  serialize: (r) => String(r),
  parse(line) {
    const m = /^T=(\d+) (.*)$/.exec(line);
    if (!m) throw new FormatError('not a lambda line', { seen: line.slice(0, 40) });
    return { t: Number(m[1]), text: m[2] };
  },
  normalize: (r) => ({ time: (r as { t: number }).t, entities: {}, fields: { text: (r as { text: string }).text } }),
};
