import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emulatorEndpoint } from './support/emulator-endpoint.ts';
import type { TickReport, TruthRecord } from '../harness/load/run-load.ts';
import { main } from '../cli/main.ts';
import { defaultTopology } from '../core/topology/default-topology.ts';
import { createAwsClients } from '../core/aws/index.ts';
import { readCurated, readStoredCounts } from '../pipeline/store/index.ts';

describe('firedrill load: cron ticks → sinks → raw → normalizer → curated, truth kept aside', () => {
  it('two enforced ticks every 2 s land and normalize every accepted event, and the truth lists both incidents', async () => {
    // The shared emulator; `load --endpoint` resets and bootstraps it itself, as `ingest --endpoint` does.
    const endpoint = emulatorEndpoint();
    const dir = await mkdtemp(join(tmpdir(), 'firedrill-load-e2e-'));
    const truthFile = join(dir, 'truth.jsonl');
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
    let code: number;
    const t0 = Date.now();
    try {
      code = await main(['node', 'firedrill', 'load', '--scenario', resolve('scenarios/waf-http-flood.yaml'), '--endpoint', endpoint, '--schedule', '*/2 * * * * *', '--ticks', '2', '--anomalies', 'enforce', '--incident', 'waf-http-flood', '--seed', 'e2e', '--truth', truthFile, '--json']);
    } finally {
      process.stdout.write = write;
      process.exitCode = undefined;
    }
    const t1 = Date.now();
    const clients = createAwsClients({ endpoint });
    const topology = defaultTopology();
    try {
      expect(code).toBe(0);
      const ticks = out.join('').trim().split('\n').map((l) => JSON.parse(l) as TickReport);
      expect(ticks.map((t) => t.tick)).toEqual([0, 1]);
      for (const t of ticks) {
        // Two-second slices on two-second boundaries, stamped with the wall clock of this run.
        const start = Date.parse(t.slice.start);
        const end = Date.parse(t.slice.end);
        expect(end - start).toBe(2_000);
        expect(end % 2_000).toBe(0);
        expect(start).toBeGreaterThanOrEqual(t0 - 2_000);
        expect(end).toBeLessThanOrEqual(t1 + 250);
        expect(t.totals.generated).toBeGreaterThan(0);
        expect(t.totals.generated).toBe(t.totals.accepted + t.totals.rejected);
        expect(t.incidents).toEqual([{ id: `flood-t${t.tick}`, kind: 'waf-http-flood' }]);
      }

      // What the normalizer wrote accounts for every accepted event of both ticks, source by source.
      const stored = await readStoredCounts(clients.s3, topology);
      const accepted: Record<string, number> = {};
      for (const t of ticks) for (const [s, c] of Object.entries(t.sources)) accepted[s] = (accepted[s] ?? 0) + c!.accepted;
      for (const [s, n] of Object.entries(accepted)) {
        const q = Object.values(stored.quarantined[s as keyof typeof stored.quarantined] ?? {}).reduce((a, b) => a + b, 0);
        expect((stored.normalized[s as keyof typeof stored.normalized] ?? 0) + q).toBe(n);
      }
      expect(stored.unprocessed).toEqual([]);

      // The truth file lists what each tick injected …
      const truth = (await readFile(truthFile, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as TruthRecord);
      expect(truth.map((t) => [t.tick, t.incidents.map((i) => `${i.kind}:${i.id}`)])).toEqual([
        [0, ['waf-http-flood:flood-t0']],
        [1, ['waf-http-flood:flood-t1']],
      ]);
      for (const [k, t] of truth.entries()) {
        expect(t.slice).toEqual(ticks[k]!.slice);
        expect(t.incidents[0]!.events).toBeGreaterThan(0);
        expect(t.incidents[0]!.events).toBeLessThanOrEqual(ticks[k]!.sources.waf!.generated);
      }
      // … and none of it travelled: no incident id, kind label or truth field in what landed.
      const curated = await readCurated(clients.s3, topology);
      expect(curated.length).toBe(Object.values(accepted).reduce((a, b) => a + b, 0));
      const landed = JSON.stringify(curated);
      for (const id of ['flood-t0', 'flood-t1', 'incidentId', 'eventKey']) expect(landed).not.toContain(id);
    } finally {
      clients.destroy();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('--sut delivers each tick to the SUT file\'s entry points while its handlers run, and firedrill score reads its findings against the truth the load wrote', async () => {
    const endpoint = emulatorEndpoint();
    const dir = await mkdtemp(join(tmpdir(), 'firedrill-load-sut-e2e-'));
    const truthFile = join(dir, 'truth.jsonl');
    const sut = resolve('examples/node-subscription/firedrill.sut.yaml');
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
    let code: number;
    try {
      code = await main(['node', 'firedrill', 'load', '--scenario', 'ec2-ssh-bruteforce', '--sut', sut, '--endpoint', endpoint, '--schedule', '*/2 * * * * *', '--slice', '30s', '--ticks', '1', '--anomalies', 'enforce', '--incident', 'ec2-ssh-bruteforce', '--seed', 'e2e', '--truth', truthFile, '--json']);
    } finally {
      process.stdout.write = write;
      process.exitCode = undefined;
    }
    const clients = createAwsClients({ endpoint });
    try {
      expect(code).toBe(0);
      const [tick] = out.join('').trim().split('\n').map((l) => JSON.parse(l) as TickReport);
      expect(tick!.incidents).toEqual([{ id: 'brute-t0', kind: 'ec2-ssh-bruteforce' }]);
      expect(tick!.balanced).toBe(true);
      // Nothing reached firedrill's own pipeline (it was not bootstrapped): the auth log went to sshguard's subscription.
      expect(await readStoredCounts(clients.s3, defaultTopology()).catch((err: Error) => err.name)).toBe('NoSuchBucket');
      // The load's truth and sshguard's alerts table, read live: the tick's brute force is caught.
      const { scoreFiles } = await import('../harness/score/index.ts');
      const { card, truthKind } = await scoreFiles({ truth: truthFile, findings: sut, endpoint });
      expect(truthKind).toBe('load');
      expect(card.incidents.map((i) => [i.id, i.detected])).toEqual([['t0:brute-t0', true]]);
      expect(card.findings.find((f) => f.detects.includes('t0:brute-t0'))!.raw).toMatchObject({ reason: 'ssh password failures' });
    } finally {
      clients.destroy();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
