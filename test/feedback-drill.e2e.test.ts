import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { emulatorEndpoint } from './support/emulator-endpoint.ts';
import { createAwsClients } from '../core/aws/index.ts';
import { defaultTopology } from '../core/topology/index.ts';
import { main } from '../cli/main.ts';
import { runDrill } from '../harness/drill/index.ts';
import { createFeedbackHandler } from '../pipeline/handlers/index.ts';
import { FeedbackStore } from '../pipeline/store/index.ts';

/**
 * Learning from feedback, end to end on the emulator: a drill whose benign deploy burst fires in run 1; an
 * operator marks each false positive benign and the real detection confirmed, through the feedback handler
 * (the API a SUT or `firedrill feedback` calls) against the findings run 1 stored; run 2 (another seed, so
 * another scanner address) raises nothing for the burst and still detects the scan.
 */
const endpoint = emulatorEndpoint();
const drill = fileURLToPath(new URL('../harness/drill/testdata/benign-burst-feedback.yaml', import.meta.url));

describe('feedback drill', () => {
  it('a benign burst that fired in run 1 does not fire in run 2 after feedback; the real incident still does', async () => {
    const run1 = await runDrill(drill, { endpoint, target: 'moto', stage: 'detect' });
    const c1 = run1.card;
    expect(c1.incidents[0]!.detected).toBe(true);
    const fps = c1.falsePositiveFindings;
    expect(fps.length, 'the burst fires in run 1').toBeGreaterThan(0);
    expect(fps.every((f) => f.kind !== 'vpc-port-scan')).toBe(true);

    // The verdicts, through the feedback API against what run 1 left in the findings table and state bucket.
    const clients = createAwsClients({ endpoint });
    try {
      const topology = defaultTopology();
      const give = createFeedbackHandler({ s3: clients.s3, doc: clients.doc, topology });
      // The first through the command line, the rest through the handler: the same API.
      const cli = (...args: string[]) => main(['node', 'firedrill', 'feedback', ...args, '--endpoint', endpoint, '--json']);
      expect(await cli(fps[0]!.findingId, '--verdict', 'maybe')).toBe(2);
      expect(await cli('no-such-finding', '--verdict', 'false-positive')).toBe(2);
      expect(await cli(fps[0]!.findingId, '--verdict', 'false-positive', '--note', 'deploy')).toBe(0);
      for (const f of fps.slice(1)) await give({ findingId: f.findingId, verdict: 'false-positive', note: 'deploy' });
      for (const id of c1.incidents[0]!.matchingFindingIds) await give({ findingId: id, verdict: 'true-positive' });
      await expect(give({ findingId: 'no-such-finding', verdict: 'false-positive' })).rejects.toThrow(/no finding no-such-finding/);
      const entries = await new FeedbackStore(clients.s3, topology.pipeline.stateBucket).load();
      expect(entries).toHaveLength(fps.length + c1.incidents[0]!.matchingFindingIds.length);
      const benign = entries.filter((e) => e.verdict === 'false-positive');
      expect(benign.every((e) => e.entityType === 'service' && e.patterns && e.patterns.length > 0)).toBe(true);

      const run2 = await runDrill(drill, { endpoint, target: 'moto', stage: 'detect', seed: 7, feedback: entries });
      const c2 = run2.card;
      expect(c2.falsePositiveFindings, 'nothing raised for the burst after feedback').toEqual([]);
      expect(c2.incidents[0]!.detected, 'the scan is still detected').toBe(true);
      expect(c2.passed, c2.failures.join('\n')).toBe(true);
      // The scanner is another address in run 2: the confirmation kept the kind's sensitivity, it did not learn an address.
      expect(c2.incidents[0]!.entities).not.toEqual(c1.incidents[0]!.entities);
    } finally {
      clients.destroy();
    }
  }, 600_000);
});
