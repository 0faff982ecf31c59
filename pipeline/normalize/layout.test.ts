import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SOURCES } from '../../core/vocabulary.ts';
import { PartitionPrefixes, partitionPrefix } from './layout.ts';

describe('PartitionPrefixes', () => {
  it('gives exactly what partitionPrefix gives, however the times are mixed', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...SOURCES), fc.integer({ min: 0, max: 4_102_444_800_000 })), { minLength: 1, maxLength: 200 }), (calls) => {
        const prefixes = new PartitionPrefixes('curated/');
        for (const [source, time] of calls) expect(prefixes.of(source, time)).toBe(partitionPrefix('curated/', source, time));
      }),
    );
  });

  it('keeps hours apart at their boundaries', () => {
    const prefixes = new PartitionPrefixes('curated/');
    const t = Date.UTC(2026, 10, 21, 13, 0, 0);
    expect(prefixes.of('waf', t - 1)).toBe('curated/source=waf/dt=2026-11-21/hour=12/');
    expect(prefixes.of('waf', t)).toBe('curated/source=waf/dt=2026-11-21/hour=13/');
    expect(prefixes.of('vpcflow', t)).toBe('curated/source=vpcflow/dt=2026-11-21/hour=13/');
  });
});
