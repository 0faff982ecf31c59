import { describe, expect, it } from 'vitest';
import { peakRssMb } from './peak-rss.ts';

describe('peakRssMb', () => {
  it('reads VmHWM from a process status, in MB', () => {
    expect(peakRssMb(42, () => 'Name:\tpython\nVmPeak:\t  900000 kB\nVmHWM:\t   51200 kB\nVmRSS:\t   40000 kB\n')).toBe(50);
  });

  it('is undefined without a pid, for a process that is gone, or a status without the line', () => {
    expect(peakRssMb(undefined)).toBeUndefined();
    expect(peakRssMb(42, () => { throw new Error('ENOENT'); })).toBeUndefined();
    expect(peakRssMb(42, () => 'Name:\tx\n')).toBeUndefined();
  });

  it.runIf(process.platform === 'linux')('gives this process a peak at least its resident set', () => {
    expect(peakRssMb(process.pid)).toBeGreaterThanOrEqual(process.memoryUsage().rss / 1048576 - 1);
  });
});
