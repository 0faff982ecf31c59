import { describe, expect, it } from 'vitest';
import { parseModelAnswer } from './model-answer.ts';

const good = { explanation: 'ledger-db ran out of connections.', category: 'connection-exhaustion', suggestedAction: 'Raise max_connections.', rootEntity: 'ledger-db' };

describe('parseModelAnswer', () => {
  it('reads the JSON object, bare or in a Markdown fence; extra keys are ignored, a null rootEntity is absent', () => {
    expect(parseModelAnswer(JSON.stringify(good))).toEqual({ ok: true, answer: good });
    expect(parseModelAnswer('```json\n' + JSON.stringify({ ...good, confidence: 0.8 }) + '\n```')).toEqual({ ok: true, answer: good });
    const r = parseModelAnswer(JSON.stringify({ ...good, rootEntity: null }));
    expect(r.ok && 'rootEntity' in r.answer).toBe(false);
  });

  it.each([
    ['empty', '   ', /empty message/],
    ['prose', 'The database is overloaded.', /not JSON/],
    ['a class outside the vocabulary', JSON.stringify({ ...good, category: 'db-overload' }), /category/],
    ['a missing key', JSON.stringify({ explanation: 'x', category: 'timeout' }), /suggestedAction/],
    ['an empty explanation', JSON.stringify({ ...good, explanation: '  ' }), /explanation/],
  ])('refuses %s with the reason', (_name, text, reason) => {
    const r = parseModelAnswer(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});
