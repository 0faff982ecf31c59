import { describe, expect, it } from 'vitest';
import { errorMessage } from '../core/errors.ts';
import { runDrill } from '../harness/drill/index.ts';
import { startEmulator } from '../emulator/index.ts';
import { listCatalog } from '../scenarios/index.ts';

/**
 * Docker-only: the container strategy (moto's image through testcontainers) running a real drill. Without a
 * Docker engine it is skipped, and the reason is printed and kept in the test name.
 */
async function dockerEngine(): Promise<{ ok: boolean; reason: string }> {
  try {
    const tc = await import('testcontainers');
    await Promise.race([tc.getContainerRuntimeClient(), new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer within 10 s')), 10_000).unref())]);
    return { ok: true, reason: '' };
  } catch (err) {
    return { ok: false, reason: errorMessage(err).split('\n')[0]! };
  }
}

const docker = await dockerEngine();
if (!docker.ok) process.stderr.write(`container drill skipped: no Docker engine reachable (${docker.reason})\n`);

describe('a drill on a container emulator', () => {
  it.skipIf(!docker.ok)(`passes on moto's image via testcontainers${docker.ok ? '' : ` — skipped: no Docker engine (${docker.reason})`}`, async () => {
    await using emulator = await startEmulator({ strategies: ['container'] });
    expect(emulator.kind).toBe('container');
    const { card } = await runDrill(listCatalog().find((c) => c.id === 'waf-http-flood')!.file, { endpoint: emulator.endpoint });
    expect(card.failures).toEqual([]);
  }, 600_000);
});
