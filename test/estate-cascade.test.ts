import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { syntheticEstate } from '../core/topology/index.ts';
import { evaluateDrill, toEvaluationInput } from '../harness/evaluate/index.ts';
import { compile, loadScenario, topologyOf } from '../scenarios/index.ts';
import { detectOffline } from './support/detect-offline.ts';

/**
 * The catalog's cascade on seeds/004's own estate: its database, cluster and service names and its three log
 * groups, declared, not firedrill's. Generated into those groups, read back by the formats and detected window by
 * window, the root cause must be the seed's database.
 */
const SEED_004_ESTATE = {
  region: 'ap-south-1',
  names: { database: 'mydb', cluster: 'my-cluster', service: 'my-python-service' },
  logGroups: [
    { name: '/aws/rds/instance/mydb/postgresql', source: 'rds' as const, format: 'postgresql' },
    { name: '/ecs/my-python-service', source: 'app' as const },
    { name: '/aws/ecs/containerinsights/my-cluster/performance', source: 'ecs' as const },
  ],
};

describe('the cascade on a declared estate (seeds/004)', () => {
  it('writes into the declared groups and names mydb as the root cause', { timeout: 120_000 }, async () => {
    const file = fileURLToPath(new URL('../scenarios/rds-app-ecs-cascade.yaml', import.meta.url));
    const scenario = { ...(await loadScenario(file)), estate: SEED_004_ESTATE };
    const topology = topologyOf(scenario);
    const estate = syntheticEstate(topology);
    const plan = compile(scenario, estate, { topology, file });
    const groups = new Set<string>();
    for (const e of plan.events()) if (e.dest.kind === 'cwl') groups.add(e.dest.logGroup);
    expect([...groups].sort()).toEqual(['/aws/ecs/containerinsights/my-cluster/performance', '/aws/rds/instance/mydb/postgresql', '/ecs/my-python-service']);
    expect(plan.incidents[0]!.entities).toMatchObject({ database: 'mydb', service: 'my-python-service' });

    const r = detectOffline(plan, estate, topology);
    expect(r.unparsed).toBe(0);
    const rc = r.findings.filter((f) => f.kind === 'root-cause');
    expect(rc.length).toBeGreaterThan(0);
    expect(rc[0]!.entities.database).toBe('mydb');
    expect(rc[0]!.chain?.[0]).toMatch(/^rds:mydb /);
    const card = evaluateDrill({ ...toEvaluationInput(plan), findings: r.findings });
    expect(card.incidents[0]).toMatchObject({ detected: true, rootCauseCorrect: true });
  });

  it("on seeds/004's own drill (its estate, the document's words) detects the cascade and names mydb as the root cause", { timeout: 120_000 }, async () => {
    const file = fileURLToPath(new URL('../examples/seeds/drills/rds-app-ecs-cascade-mydb.yaml', import.meta.url));
    const scenario = await loadScenario(file);
    const topology = topologyOf(scenario);
    const estate = syntheticEstate(topology);
    const plan = compile(scenario, estate, { topology, file });
    const lines = [...plan.events()].map((e) => e.message);
    expect(lines.some((m) => m.endsWith(':WARNING:  Maximum connections exceeded for database mydb'))).toBe(true);
    expect(lines.some((m) => m.includes('too many clients'))).toBe(false);

    const r = detectOffline(plan, estate, topology);
    expect(r.unparsed).toBe(0);
    const rc = r.findings.filter((f) => f.kind === 'root-cause');
    expect(rc[0]!.chain?.[0]).toMatch(/^rds:mydb /);
    const card = evaluateDrill({ ...toEvaluationInput(plan), findings: r.findings });
    expect(card.incidents[0]).toMatchObject({ detected: true, rootCauseCorrect: true });
    expect(card.falsePositives).toBe(0);
  });
});
