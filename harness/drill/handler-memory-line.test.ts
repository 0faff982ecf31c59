import { describe, expect, it } from 'vitest';
import type { HandlerStats } from '../../runtime/index.ts';
import { handlerMemoryLine } from './handler-memory-line.ts';

const stats = (handler: string, maxMemoryUsedMb?: number): HandlerStats => ({
  handler, trigger: 'sqs', invocations: 1, errors: 0, timeouts: 0, coldStarts: 1, durationMs: 1, maxDurationMs: 1, received: 1, succeeded: 1, failed: 0, dropped: 0,
  ...(maxMemoryUsedMb !== undefined ? { maxMemoryUsedMb } : {}),
});

describe('handlerMemoryLine', () => {
  it('gives each measured handler its max used beside its declared memory, in the stats order', () => {
    expect(handlerMemoryLine([stats('normalizer', 61), stats('dispatcher', 19)], [{ name: 'dispatcher', memoryMb: 256 }, { name: 'normalizer', memoryMb: 1024 }]))
      .toBe('handler memory (max used of declared): normalizer 61 of 1024 MB, dispatcher 19 of 256 MB');
  });

  it('leaves out a handler never invoked, and says nothing when none was', () => {
    expect(handlerMemoryLine([stats('normalizer', 61), stats('detector')], [{ name: 'normalizer', memoryMb: 1024 }, { name: 'detector', memoryMb: 1024 }]))
      .toBe('handler memory (max used of declared): normalizer 61 of 1024 MB');
    expect(handlerMemoryLine([stats('detector')], [{ name: 'detector', memoryMb: 1024 }])).toBeUndefined();
  });
});
