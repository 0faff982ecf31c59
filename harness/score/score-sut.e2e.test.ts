import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorEndpoint } from '../../test/support/emulator-endpoint.ts';
import { createAwsClients, type AwsClients } from '../../core/aws/index.ts';
import { resetEmulatorAt } from '../../emulator/index.ts';
import type { ExpectedIncident } from '../evaluate/index.ts';
import { loadSutFile, prepareSut } from '../sut/index.ts';
import { scoreFiles } from './score-files.ts';
import { writeTruthFile } from './truth-file.ts';

const SUT = fileURLToPath(new URL('./testdata/alerts.sut.yaml', import.meta.url));
const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
let endpoint: string;
let clients: AwsClients;
let dir: string;

beforeAll(async () => {
  endpoint = emulatorEndpoint();
  await resetEmulatorAt(endpoint);
  clients = createAwsClients({ endpoint, region: 'us-east-1' });
  dir = await mkdtemp(join(tmpdir(), 'firedrill-score-sut-'));
});
afterAll(async () => {
  clients?.destroy();
  await rm(dir, { recursive: true, force: true });
});

describe('firedrill score --findings <SUT file>', () => {
  it('reads the SUT’s taps on the endpoint after the run and scores what they hold', async () => {
    await prepareSut({ sut: await loadSutFile(SUT), clients, prefix: 'sc', env: {} });
    await clients.doc.send(new PutCommand({ TableName: 'sc-alerts', Item: { pk: 'alert#1', ip: '198.51.100.7', detectedAt: new Date(T0 + 90_000).toISOString(), reason: 'rate over baseline' } }));
    await clients.doc.send(new PutCommand({ TableName: 'sc-alerts', Item: { pk: 'alert#2', ip: '192.0.2.44', detectedAt: new Date(T0 + 95_000).toISOString(), reason: 'odd login' } }));
    const flood: ExpectedIncident = { id: 'flood', kind: 'waf-http-flood', window: { start: T0 + 60_000, end: T0 + 300_000 }, entities: { ip: '198.51.100.7' }, detectWithinSeconds: 60, mustDetect: true, expectedRemediation: [] };
    const truth = join(dir, 'truth.json');
    await writeTruthFile(truth, { scenarioId: 'sut-score', title: 'after the fact', seed: 1, window: { start: T0, end: T0 + 600_000 }, falsePositiveBudget: 1, incidents: [flood], prefix: 'sc', region: 'us-east-1' });
    const r = await scoreFiles({ truth, findings: SUT, endpoint, env: {} });
    expect(r.card.incidents[0]).toMatchObject({ detected: true, timeToDetectSeconds: 30, matchingFindingIds: ['alert#1'] });
    expect(r.card.falsePositiveFindings.map((f) => [f.tap, f.findingId, f.summary])).toEqual([['dynamodb:sc-alerts', 'alert#2', 'odd login']]);
    expect(r.card.passed).toBe(true);
  });
});
