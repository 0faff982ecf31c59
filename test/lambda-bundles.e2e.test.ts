import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { emulatorEndpoint } from './support/emulator-endpoint.ts';
import { runDrill } from '../harness/drill/index.ts';
import { loadSutFile } from '../harness/sut/index.ts';
import { bundleSut, type BundledSut } from '../infra/bundle-handlers.ts';
import { listCatalog } from '../scenarios/index.ts';

/**
 * The artifact infra/ deploys is the one tested: the three esbuild bundles (built here, exactly as `npm run
 * infra:synth` builds them for Terraform) and the SUT hooks bundled likewise run one whole drill on the shared
 * emulator as the builtin SUT's handlers — the SUT file `bundleSut` writes binds each handler to its bundle, so the
 * local runtime imports the bundle in the function's worker, fed by its queue or its schedule on event time. A bundle
 * that lost a module or a file it reads fails here.
 */
const endpoint = emulatorEndpoint();

describe('the Lambda bundles run a drill on the emulator', () => {
  let built: BundledSut;

  beforeAll(async () => {
    built = await bundleSut({ outdir: mkdtempSync(join(tmpdir(), 'firedrill-lambda-')) });
  }, 180_000);

  it('binds every handler and hook of the builtin SUT to the built modules, nothing to the sources', async () => {
    const sut = await loadSutFile(built.sutFile);
    const entries = Object.fromEntries(sut.data.handlers.map((h) => [h.name, resolve(sut.dir, h.code, h.handler.slice(0, h.handler.lastIndexOf('#')))]));
    expect(entries).toEqual({ normalizer: built.bundles.normalizer.file, detector: built.bundles.detector.file, dispatcher: built.bundles.dispatcher.file });
    const hooks = [sut.data.resources.setup, sut.data.ledger, sut.data.prune?.hook].map((ref) => resolve(sut.dir, ref!.slice(0, ref!.lastIndexOf('#'))));
    expect(hooks).toEqual([built.hooksFile, built.hooksFile, built.hooksFile]);
    expect(readFileSync(built.sutFile, 'utf8')).not.toMatch(/\.ts#/);
  });

  it('detects, remediates and verifies a compromised key with the bundles, nothing lost on the way', async () => {
    const drill = listCatalog().find((c) => c.id === 'cloudtrail-compromised-key')!;
    const { card } = await runDrill(drill.file, { endpoint, target: 'moto', sut: built.sutFile });
    expect(card.failures, card.failures.join('\n')).toEqual([]);
    expect(card.passed).toBe(true);
    // The normalizer bundle curated every event; the detector bundle found the incident; the dispatcher bundle started
    // the playbook, whose change was read back from the estate.
    expect(card.ledger?.balanced).toBe(true);
    expect(card.ledger?.totals.normalized).toBe(card.ledger?.totals.generated);
    expect(card.incidents.every((i) => i.detected)).toBe(true);
    const remediation = card.incidents.map((i) => i.remediation);
    expect(remediation.length).toBeGreaterThan(0);
    for (const r of remediation) {
      expect(r?.executed).toBe(true);
      expect(r?.verified).toBe(true);
      expect(r?.outcomes.length).toBeGreaterThan(0);
    }
  });
});
