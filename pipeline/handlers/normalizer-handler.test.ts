import { describe, expect, it } from 'vitest';
import { normalizerLimits } from './normalizer-handler.ts';

describe('normalizerLimits', () => {
  it('reads the memory bounds in MiB from the environment; unset or empty leaves the defaults', () => {
    expect(normalizerLimits({})).toEqual({});
    expect(normalizerLimits({ FIREDRILL_NORMALIZER_STATE_MB: '', FIREDRILL_NORMALIZER_BATCH_MB: '' })).toEqual({});
    expect(normalizerLimits({ FIREDRILL_NORMALIZER_STATE_MB: '4', FIREDRILL_NORMALIZER_BATCH_MB: '0.5' })).toEqual({ stateBytes: 4 * 1024 * 1024, batchBytes: 512 * 1024 });
  });

  it('refuses what is not a size, saying what it expected', () => {
    expect(() => normalizerLimits({ FIREDRILL_NORMALIZER_STATE_MB: '16MB' })).toThrow(/FIREDRILL_NORMALIZER_STATE_MB is not a size in MiB[\s\S]*seen: +"16MB"/);
    expect(() => normalizerLimits({ FIREDRILL_NORMALIZER_BATCH_MB: '-1' })).toThrow(/a number of MiB, 0 or more/);
  });
});
