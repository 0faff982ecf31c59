import { describe, expect, it } from 'vitest';
import { FiredrillError } from '../core/index.ts';
import { defaultTopology } from '../core/topology/index.ts';
import { bootstrapInThread } from './run-in-thread.ts';

describe('bootstrapInThread', () => {
  it('brings a failure in its thread back as firedrill\'s error, with what was expected, seen and how to fix it', async () => {
    // Nothing listens on port 1: the thread's first call fails, and the thread ends with that error.
    const err: unknown = await bootstrapInThread({ endpoint: 'http://127.0.0.1:1', region: 'us-east-1' }, defaultTopology()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(FiredrillError);
    const e = err as FiredrillError;
    expect(e.message).toContain('127.0.0.1:1');
    expect(e.fix).toBeTruthy();
    expect(e.expected).toBeTruthy();
  }, 60_000);
});
