import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emulatorEndpoint } from '../../test/support/emulator-endpoint.ts';
import { exitCodeOf } from '../../cli/actions/run.ts';
import { listCatalog } from '../../scenarios/index.ts';
import { runDrills } from './run-drills.ts';

const endpoint = emulatorEndpoint();

describe('runDrills --sut', () => {
  it('refuses a bad SUT file before bootstrapping anything: a usage error at file:line:column, exit code 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'firedrill-bad-sut-'));
    const file = join(dir, 'firedrill.sut.yaml');
    await writeFile(file, 'name: bad\nfindings:\n  - dynamodb: { table: t }\n    preset: firedril\n');
    const t0 = Date.now();
    const cards = await runDrills([listCatalog().find((c) => c.id === 'waf-http-flood')!.file], { target: 'moto', endpoint, sut: file });
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(cards[0]!.error).toMatchObject({ usage: true, type: 'SutValidationError' });
    expect(cards[0]!.error!.message).toContain(`${file}:4:`);
    expect(exitCodeOf(cards)).toBe(2);
  });
});
