import { describe, expect, it } from 'vitest';
import { reportLine } from './start-runtime.ts';

describe('reportLine', () => {
  it("writes Lambda's REPORT line, with Max Memory Used rounded up when the invoker measured it", () => {
    expect(reportLine('r-1', 12.344, 1024, 60.2)).toBe('REPORT RequestId: r-1\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 1024 MB\tMax Memory Used: 61 MB');
    expect(reportLine('r-2', 1, 128, undefined)).toBe('REPORT RequestId: r-2\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB');
  });

  it("ends a cold start's line with its Init Duration, as Lambda's", () => {
    expect(reportLine('r-3', 4.5, 256, 70, 812.345)).toBe('REPORT RequestId: r-3\tDuration: 4.50 ms\tBilled Duration: 5 ms\tMemory Size: 256 MB\tMax Memory Used: 70 MB\tInit Duration: 812.35 ms');
  });
});
