import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Observation } from '../observe/index.ts';
import { readObservations, writeObservations } from './findings-file.ts';

describe('findings.jsonl', () => {
  it('keeps an observation\'s explanation and failure class, so `firedrill score` scores them later', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'findings-')), 'findings.jsonl');
    const o: Observation = { tap: 't', id: '1', observedAt: Date.UTC(2026, 0, 1), entities: ['db-1'], text: 's', raw: {}, explanation: 'db-1 ran out of connections', failureClass: 'connection-exhaustion' };
    await writeObservations(path, [o, { ...o, id: '2', explanation: undefined, failureClass: undefined }]);
    const [a, b] = await readObservations(path);
    expect(a).toMatchObject({ explanation: 'db-1 ran out of connections', failureClass: 'connection-exhaustion' });
    expect(b!.explanation).toBeUndefined();
    expect('failureClass' in b!).toBe(false);
  });
});
