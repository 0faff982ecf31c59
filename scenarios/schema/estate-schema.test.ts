import { describe, expect, it } from 'vitest';
import { formatIssue } from '../errors.ts';
import { validateScenarioText } from '../load-scenario.ts';
import { topologyOf } from '../topology-of.ts';

const NOW = Date.parse('2026-11-21T11:00:00Z');
const drill = (estate: string) => `id: team-estate
title: A team's own estate
description: seeds/004's groups
seed: 1
duration: 10m
estate:
${estate}
phases: { warmup: 5m }
background:
  - { source: app, rate: 60/m }
expect: {}
`;

const SEED_004 = `  region: ap-south-1
  names: { database: mydb, cluster: my-cluster, service: my-python-service }
  logGroups:
    - { name: /aws/rds/instance/mydb/postgresql, source: rds, format: postgresql }
    - { name: /ecs/my-python-service, source: app, format: plain }
    - { name: /aws/ecs/containerinsights/my-cluster/performance, source: ecs }
  sourceMap:
    - { match: /vpc/*/flows, source: vpcflow, format: custom, fields: '\${version} \${vpc-id} \${srcaddr}' }
  dependencies:
    - { from: app:my-python-service, to: rds:mydb }
    - { from: ecs:my-cluster, to: app:my-python-service }`;

describe('a scenario estate', () => {
  it('declares names, log groups, a source map and dependencies, and the drill runs on them', () => {
    const r = validateScenarioText(drill(SEED_004), { now: NOW });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const t = topologyOf(r.scenario);
    expect(t.pipeline.logGroups.filter((g) => g.source === 'app')).toEqual([{ source: 'app', name: '/ecs/my-python-service', shape: 'plain', streamPattern: 'ecs/<container>/<task-id>', retentionDays: 14 }]);
    expect(t.pipeline.sourceMap).toEqual([{ match: '/vpc/*/flows', source: 'vpcflow', shape: 'custom', fields: ['${version}', '${vpc-id}', '${srcaddr}'] }]);
    expect(t.dependencies).toHaveLength(2);
  });

  it('refuses a shape the source does not have, fields off a VPC group, a custom format without fields, a group twice', () => {
    const r = validateScenarioText(
      drill(`  logGroups:
    - { name: /ecs/a, source: app, format: csv }
    - { name: /ecs/a, source: rds, fields: [version] }
    - { name: /vpc/x, source: vpcflow, format: custom }
    - { name: /x/ct, source: cloudtrail, format: json }`),
      { now: NOW, file: 'd.yaml' },
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const text = r.issues.map(formatIssue).join('\n');
    expect(text).toContain("one of app's shapes: auto, json, logfmt, python, log4j, plain");
    expect(text).toContain('a log group declared once (/ecs/a is declared twice)');
    expect(text).toContain('fields only on a vpcflow group');
    expect(text).toContain('the custom format’s fields');
    expect(text).toContain('cloudtrail has one shape only');
  });

  it('refuses an unknown name with a suggestion', () => {
    const r = validateScenarioText(drill('  names: { databse: mydb }'), { now: NOW });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map(formatIssue).join('\n')).toContain('did you mean `database`?');
  });
});
