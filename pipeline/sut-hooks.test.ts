import { describe, expect, it } from 'vitest';
import { defaultTopology, syntheticEstate, topologyFromEnv } from '../core/topology/index.ts';
import { hookTopology, withPlumbing } from './sut-hooks.ts';

// A team's own names and groups (seeds/004's estate): nothing of it follows the prefix.
const declaration = {
  names: { database: 'mydb', cluster: 'my-cluster', service: 'my-python-service' },
  logGroups: [
    { name: '/aws/rds/instance/mydb/postgresql', source: 'rds' as const, format: 'postgresql' },
    { name: '/ecs/my-python-service', source: 'app' as const, format: 'plain' },
  ],
  sourceMap: [{ match: '/team/**', source: 'app' as const }],
};

describe('the builtin pipeline hooks', () => {
  it('work on the declared estate, with the run prefix and region, not on the default names', () => {
    const t = hookTopology({ prefix: 'drill7', region: 'eu-west-1', declaration });
    expect(t.prefix).toBe('drill7');
    expect(t.region).toBe('eu-west-1');
    const groups = t.pipeline.logGroups.map((g) => g.name);
    // The groups the setup hook subscribes and the ledger hook reads for: the declared ones where declared.
    expect(groups).toContain('/aws/rds/instance/mydb/postgresql');
    expect(groups).toContain('/ecs/my-python-service');
    expect(groups).not.toContain('/aws/rds/instance/drill7-orders-db/postgresql');
    expect(groups).toContain('/drill7/vpc/flow-logs');
    expect(t.pipeline.sourceMap).toEqual([{ match: '/team/**', source: 'app' }]);
    expect(t.estate.rds.dbInstanceId).toBe('mydb');
    expect(t.pipeline.rawBucket).toBe('drill7-raw');
    // What the handlers get as FIREDRILL_ESTATE rebuilds the same topology.
    expect(topologyFromEnv({ FIREDRILL_ESTATE: JSON.stringify(t.declaration) }).pipeline.logGroups).toEqual(t.pipeline.logGroups);
  });

  it('read the declaration a drill puts beside the estate ids (${estate:declaration}) as well', () => {
    const t = hookTopology({ prefix: 'drill7', region: 'us-east-1', estate: { declaration: JSON.stringify(declaration) } });
    expect(t.pipeline.logGroups.map((g) => g.name)).toContain('/aws/rds/instance/mydb/postgresql');
  });

  it('without a declaration are the defaults of the prefix', () => {
    expect(hookTopology({ prefix: 'drill7', region: 'us-east-1' }).pipeline.logGroups).toEqual(defaultTopology({ prefix: 'drill7' }).pipeline.logGroups);
  });

  it("fill the plumbing's identifiers in from what was created for the SUT file", () => {
    const t = hookTopology({ prefix: 'drill7', region: 'us-east-1', declaration });
    const bare = { ...syntheticEstate(t), queues: { rawEvents: '', rawEventsDlq: '', alerts: '', alertsDlq: '' }, alertsTopicArn: '' };
    const url = (q: string) => `http://emulator/123456789012/${q}`;
    const refs = {
      'queue-url:drill7-raw-events': url('drill7-raw-events'),
      'queue-url:drill7-raw-events-dlq': url('drill7-raw-events-dlq'),
      'queue-url:drill7-alerts-dispatch': url('drill7-alerts-dispatch'),
      'queue-url:drill7-alerts-dispatch-dlq': url('drill7-alerts-dispatch-dlq'),
      'topic-arn:drill7-alerts': 'arn:aws:sns:us-east-1:123456789012:drill7-alerts',
    };
    const filled = withPlumbing(bare, t, refs);
    expect(filled.queues).toEqual({ rawEvents: url('drill7-raw-events'), rawEventsDlq: url('drill7-raw-events-dlq'), alerts: url('drill7-alerts-dispatch'), alertsDlq: url('drill7-alerts-dispatch-dlq') });
    expect(filled.alertsTopicArn).toBe('arn:aws:sns:us-east-1:123456789012:drill7-alerts');
    expect(filled.rds).toEqual(bare.rds);
    // Nothing created: nothing filled in.
    expect(withPlumbing(bare, t, {}).queues.rawEvents).toBe('');
  });
});
