import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.ts';
import { DEFAULT_HEAP_GROWING_PERCENT, heapGrowingPercent } from './heap-growth.ts';

describe('heapGrowingPercent', () => {
  it('is the default when FIREDRILL_HEAP_GROWING_PERCENT is unset or empty, else the integer given (0: V8 decides)', () => {
    expect(heapGrowingPercent({})).toBe(DEFAULT_HEAP_GROWING_PERCENT);
    expect(heapGrowingPercent({ FIREDRILL_HEAP_GROWING_PERCENT: ' ' })).toBe(DEFAULT_HEAP_GROWING_PERCENT);
    expect(heapGrowingPercent({ FIREDRILL_HEAP_GROWING_PERCENT: '0' })).toBe(0);
    expect(heapGrowingPercent({ FIREDRILL_HEAP_GROWING_PERCENT: '75' })).toBe(75);
  });

  it('refuses what is not an integer from 0 to 400, saying what it expected', () => {
    for (const bad of ['-5', '1.5', '20%', 'lots', '401']) {
      expect(() => heapGrowingPercent({ FIREDRILL_HEAP_GROWING_PERCENT: bad })).toThrow(ConfigError);
    }
    expect(() => heapGrowingPercent({ FIREDRILL_HEAP_GROWING_PERCENT: 'lots' })).toThrow(/expected: an integer from 0 to 400/);
  });
});
