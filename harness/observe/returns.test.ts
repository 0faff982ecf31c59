import { describe, expect, it } from 'vitest';
import { handlerReturns } from './taps/returns-tap.ts';

describe('handler return values from the runtime’s invocation records', () => {
  it('keeps what returned, stamped when it returned; errors and timeouts give none', async () => {
    async function* records() {
      yield { handler: 'a', startedAt: 1_000, durationMs: 250, outcome: 'ok' as const, result: { ip: '198.51.100.7' } };
      yield { handler: 'a', startedAt: 2_000, durationMs: 3_000, outcome: 'timeout' as const };
      yield { handler: 'b', startedAt: 3_000, durationMs: 5, outcome: 'error' as const };
      yield { handler: 'b', startedAt: 4_000, durationMs: 5, outcome: 'ok' as const, result: null };
    }
    const out = [];
    for await (const r of handlerReturns(records())) out.push(r);
    expect(out).toEqual([{ handler: 'a', at: 1_250, value: { ip: '198.51.100.7' } }, { handler: 'b', at: 4_005, value: null }]);
  });
});
