import { describe, expect, it } from 'vitest';
import { reportLine } from './start-runtime.ts';

describe('reportLine', () => {
  it("writes Lambda's REPORT line, with Max Memory Used rounded up when the invoker measured it", () => {
    expect(reportLine('r-1', 12.344, 1024, 60.2)).toBe('REPORT RequestId: r-1\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 1024 MB\tMax Memory Used: 61 MB');
    expect(reportLine('r-2', 1, 128, undefined)).toBe('REPORT RequestId: r-2\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB');
  });
});
