import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { emulatorEndpoint } from './support/emulator-endpoint.ts';
import { syntheticEstate } from '../core/topology/index.ts';
import { runDrill, type DrillRun } from '../harness/drill/index.ts';
import { evaluateDrill, toEvaluationInput } from '../harness/evaluate/index.ts';
import { renderScorecard } from '../harness/reports/index.ts';
import { compile, loadScenario, topologyOf } from '../scenarios/index.ts';

/**
 * A recording firedrill did not make, replayed end to end on the emulator: seeds/004's lines in the seed's own
 * log groups (declared in the drill's estate, with a plain-text source for the app group), each line at its own
 * time shifted as a block onto the drill clock — through the real sinks, normalizer, detector ticks and RCA —
 * and scored against the labels file. Without labels the same run's observations must claim nothing.
 */
const endpoint = emulatorEndpoint();
const data = fileURLToPath(new URL('../scenarios/testdata/seed-004/', import.meta.url));

function drillFile(id: string, replay: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'firedrill-replay-e2e-'));
  const file = join(dir, `${id}.yaml`);
  writeFileSync(file, `id: ${id}
title: seeds/004 replayed in its own groups
description: a recording with its own timestamps, groups and streams, on a declared estate
seed: 4
duration: 12m
estate:
  names: { database: mydb, cluster: my-cluster, service: my-python-service }
  logGroups:
    - { name: /aws/rds/instance/mydb/postgresql, source: rds }
    - { name: /ecs/my-python-service, source: app, format: plain }
    - { name: /aws/ecs/containerinsights/my-cluster/performance, source: ecs }
phases: { warmup: 5m }
background:
  - source: app
    replay: ${replay}
expect: {}
`);
  return file;
}

describe('replay of external data on a declared estate, end to end', () => {
  let run: DrillRun;
  beforeAll(async () => {
    run = await runDrill(drillFile('seed-004-replay', `{ file: ${join(data, 'cascade.ndjson')}, labels: ${join(data, 'labels.yaml')} }`), { endpoint, target: 'moto', stage: 'detect' });
  }, 120_000);

  it("labelled: the cascade in the seed's own groups is found with its root cause, and scored against the labels", () => {
    const { card } = run;
    expect(card.unlabelled).toBe(false);
    expect(card.failures, `${card.failures.join('; ')} ${JSON.stringify(card.ledger)}`).toEqual([]);
    // Every replayed line reached the curated store under its own group (none quarantined as unknown).
    expect(card.ledger).toMatchObject({ balanced: true, totals: { generated: 6, normalized: 6, quarantined: 0 } });
    expect(card.incidents.map((i) => [i.id, i.kind, i.detected, i.rootCauseCorrect])).toEqual([['cascade', 'rds-app-ecs-cascade', true, true]]);
    expect(card.incidents[0]!.rootCauseObserved?.join(' → ')).toMatch(/^rds:mydb .*→ app:my-python-service .*→ ecs:my-cluster/);
    expect(card).toMatchObject({ passed: true, falsePositives: 0, precision: 1, recall: 1 });
  });

  it('unlabelled: the same recording, scored on what the pipeline wrote, claims no precision, recall or pass', async () => {
    // The drill without its labels file, compiled as `firedrill run` would, scored on the run's own observations.
    const file = drillFile('seed-004-unlabelled', `{ file: ${join(data, 'cascade.ndjson')} }`);
    const scenario = await loadScenario(file);
    const topology = topologyOf(scenario);
    const plan = compile(scenario, syntheticEstate(topology), { topology, file });
    expect(plan.unlabelled).toBe(true);
    const card = evaluateDrill({ ...toEvaluationInput(plan), observations: run.observations, ...(run.card.ledger ? { ledger: run.card.ledger } : {}) });
    expect(card).toMatchObject({ unlabelled: true, precision: null, recall: null, f1: null, incidents: [], failures: [] });
    // The detector found the cascade; with no truth none of its findings is called true or false.
    expect(card.findingsTotal).toBe(run.card.findingsTotal);
    expect(card.findingsTotal).toBeGreaterThan(0);
    const text = renderScorecard(card, false);
    expect(text).toContain('unlabelled: nothing was tested');
    expect(text).toContain('false positives n/a');
    expect(text).not.toMatch(/100\.0%|✔|✘/);
  });
});
