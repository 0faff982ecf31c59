import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DescribeSubscriptionFiltersCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ListDeliveryStreamsCommand } from '@aws-sdk/client-firehose';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { ListStateMachinesCommand } from '@aws-sdk/client-sfn';
import { ListTopicsCommand } from '@aws-sdk/client-sns';
import { ListQueuesCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { emulatorEndpoint } from '../../test/support/emulator-endpoint.ts';
import { createAwsClients } from '../../core/aws/index.ts';
import { defaultTopology } from '../../core/topology/index.ts';
import { runDrill } from '../../harness/drill/index.ts';
import { scoreFiles } from '../../harness/score/index.ts';
import { listCatalog } from '../../scenarios/index.ts';

/**
 * sshguard (a Node pipeline of two Logs-subscription Lambdas writing their own DynamoDB items) drilled through
 * the SUT contract exactly as the builtin is. Its scorecards are what its logic deserves: it sees SSH password
 * failures and rejected-port scans per address, and nothing else; it remediates nothing.
 */
const endpoint = emulatorEndpoint();
const sut = fileURLToPath(new URL('./firedrill.sut.yaml', import.meta.url));
const drill = (id: string) => listCatalog().find((c) => c.id === id)!.file;

describe('example SUT: sshguard (Node, CloudWatch Logs subscriptions, its own DynamoDB table)', () => {
  it('on bad-day: detects the SSH brute force in the first minute, misses the WAF flood, the cascade and the leaked key', async () => {
    const reportDir = await mkdtemp(join(tmpdir(), 'firedrill-sshguard-'));
    const { card, plan } = await runDrill(drill('bad-day'), { endpoint, sut, reportDir });
    const by = Object.fromEntries(card.incidents.map((i) => [i.id, i]));
    expect(Object.fromEntries(card.incidents.map((i) => [i.id, i.detected]))).toEqual({ flood: false, brute: true, cascade: false, leak: false });
    // Its alert is stamped with the end of the minute its counter crossed the threshold: the onset's minute.
    expect(by.brute!.timeToDetectSeconds).toBe(60);
    expect(by.brute!.wallTimeToDetectSeconds).toBeGreaterThan(0);
    expect(by.cascade!.rootCauseCorrect).toBe(false);
    // One alert, about the attacker's address, in sshguard's own shape.
    expect(card.findingsTotal).toBe(1);
    expect(card.falsePositives).toBe(0);
    const brute = plan.incidents.find((i) => i.id === 'brute')!;
    expect(card.findings[0]!.raw).toMatchObject({ pk: `alert#${brute.entities.ip}`, ip: brute.entities.ip, reason: 'ssh password failures', detectedAt: expect.any(String) });
    expect(card.findings[0]!.detects).toEqual(['brute']);
    expect(card.recall).toBe(0.25);
    expect(card.precision).toBe(1);
    // It remediates nothing, and the scorecard says so.
    for (const i of card.incidents) expect(i.remediation?.planned, `${i.id} remediation`).toBe(false);
    expect(card.passed).toBe(false);
    // Delivery is accounted for; what sshguard took in is its own business (no ledger hook). The WAF logs go to a
    // Firehose stream, and sshguard declares none: refused as an unknown destination, counted, not lost.
    expect(card.ledger).toMatchObject({ balanced: true });
    const waf = card.ledger!.perSource!.waf!;
    const wafEvents = waf.generated!;
    expect(wafEvents).toBeGreaterThan(0);
    expect(waf).toMatchObject({ accepted: 0, rejected: wafEvents });
    expect(card.ledger!.totals.accepted).toBe(card.ledger!.totals.generated! - wafEvents);
    expect(card.ledger!.totals.normalized).toBeUndefined();

    // The run's files reproduce its detection scorecard without running anything.
    const again = await scoreFiles({ truth: join(reportDir, 'bad-day', 'truth.json'), findings: join(reportDir, 'bad-day', 'findings.jsonl') });
    expect(again.card.incidents.map((i) => [i.id, i.detected, i.timeToDetectSeconds])).toEqual(card.incidents.map((i) => [i.id, i.detected, i.timeToDetectSeconds]));
    expect(again.card.falsePositives).toBe(card.falsePositives);
  }, 300_000);

  it('on vpc-port-scan: detects the scanner from the flow logs in the first minute, with no false positive', async () => {
    const { card, plan } = await runDrill(drill('vpc-port-scan'), { endpoint, sut });
    const scan = plan.incidents.find((i) => i.id === 'scan')!;
    expect(card.incidents.map((i) => [i.id, i.detected, i.timeToDetectSeconds])).toEqual([['scan', true, 60]]);
    expect(card.findings.map((f) => (f.raw as { ip: string; reason: string }).reason)).toEqual(['port scan']);
    expect(card.findings[0]!.entities).toEqual([scan.entities.ip]);
    expect(card.falsePositives).toBe(0);
    expect(card.failures).toEqual([expect.stringMatching(/^scan: remediation nacl-deny-entry not verified/)]);

    // The emulator holds the estate and sshguard's own tables, nothing of firedrill's pipeline: its queues, topic,
    // tables, Firehose streams, state machines, buckets and subscription filters come only from its own SUT file.
    const c = createAwsClients({ endpoint, region: 'us-east-1' });
    try {
      const t = defaultTopology();
      expect((await c.sqs.send(new ListQueuesCommand({}))).QueueUrls ?? []).toEqual([]);
      expect(((await c.dynamodb.send(new ListTablesCommand({}))).TableNames ?? []).sort()).toEqual(['sshguard-alerts', 'sshguard-counters']);
      expect((await c.sns.send(new ListTopicsCommand({}))).Topics ?? []).toEqual([]);
      expect((await c.firehose.send(new ListDeliveryStreamsCommand({}))).DeliveryStreamNames ?? []).toEqual([]);
      expect((await c.sfn.send(new ListStateMachinesCommand({}))).stateMachines ?? []).toEqual([]);
      expect(((await c.s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name).sort()).toEqual([t.pipeline.accessLogBucket, t.estate.dataBucket].sort());
      for (const g of t.pipeline.logGroups.filter((x) => x.source === 'vpcflow' || x.source === 'ec2')) {
        expect((await c.logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: g.name }))).subscriptionFilters, g.name).toEqual([]);
      }
    } finally {
      c.destroy();
    }
  }, 300_000);
});
