import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { syntheticEstate } from '../core/topology/index.ts';
import { toEvaluationInput, evaluateDrill } from '../harness/evaluate/index.ts';
import { renderScorecard } from '../harness/reports/index.ts';
import { compile } from './compile.ts';
import { formatIssue, ScenarioValidationError } from './errors.ts';
import { validateScenarioText } from './load-scenario.ts';
import { lineTime, shiftLine } from './replay.ts';
import { topologyOf } from './topology-of.ts';

/** seeds/004's three lines and some quiet ones, in the seed's own groups, replayed on the seed's declared estate. */
const dir = fileURLToPath(new URL('./testdata/seed-004/', import.meta.url));
const rdir = fileURLToPath(new URL('./testdata/replay/', import.meta.url));
const NOW = Date.parse('2026-11-21T11:00:00Z');
const START = '2026-11-21T10:00:00Z';
const ESTATE = readFileSync(join(dir, 'estate.yaml'), 'utf8');

function drill(replay: string, estate = ESTATE, source = 'app'): { text: string; file: string } {
  const text = `id: seed-004-replay
title: seeds/004 replayed
description: the cascade in the seed's own groups
seed: 4
start: ${START}
duration: 15m
estate:
${estate}
phases: { warmup: 5m }
background:
  - source: ${source}
    replay: ${replay}
expect: {}
`;
  const tmp = mkdtempSync(join(tmpdir(), 'replay-'));
  const file = join(tmp, 'drill.yaml');
  writeFileSync(file, text.replaceAll('FILES/', `${dir}`));
  return { text, file };
}

function plan(replay: string, estate?: string, source?: string) {
  const { file } = drill(replay, estate, source);
  const r = validateScenarioText(readFileSync(file, 'utf8'), { file, now: NOW });
  if (!r.ok) throw new Error(r.issues.map(formatIssue).join('\n'));
  const topology = topologyOf(r.scenario);
  return compile(r.scenario, syntheticEstate(topology), { topology, file, now: NOW });
}

describe('replay of a recording that firedrill did not make', () => {
  it("keeps each line's own group and stream, and the gaps between lines, shifted as a block onto the drill", () => {
    const p = plan('{ file: FILES/cascade.ndjson, labels: FILES/labels.yaml }');
    const events = [...p.events()];
    expect(events.map((e) => [e.source, e.dest.kind === 'cwl' ? `${e.dest.logGroup} ${e.dest.logStream}` : '', e.time - p.window.start])).toEqual([
      ['rds', '/aws/rds/instance/mydb/postgresql mydb', 0],
      ['app', '/ecs/my-python-service ecs/app/5f3c', 30_000],
      ['rds', '/aws/rds/instance/mydb/postgresql mydb', 300_000],
      ['app', '/ecs/my-python-service ecs/app/5f3c', 301_000],
      ['ecs', '/aws/ecs/containerinsights/my-cluster/performance FargateTelemetry-1', 302_000],
      ['app', '/ecs/my-python-service ecs/app/5f3c', 540_000],
    ]);
    // Stamps in the lines move with them (the PostgreSQL prefix and a plain app stamp alike).
    expect(events[0]!.message).toBe('2026-11-21 10:00:00 UTC::@:[5532]:LOG:  checkpoint starting: time');
    expect(events[1]!.message).toBe('2026-11-21 10:00:30 INFO GET /health 200');
  });

  it('makes the labels file an incident of the truth, on the drill clock, that the scorecard counts', () => {
    const p = plan('{ file: FILES/cascade.ndjson, labels: FILES/labels.yaml }');
    expect(p.unlabelled).toBeUndefined();
    expect(p.incidents).toEqual([
      expect.objectContaining({ id: 'cascade', kind: 'rds-app-ecs-cascade', entities: { database: 'mydb', service: 'my-python-service', cluster: 'my-cluster' }, window: { start: p.window.start + 300_000, end: p.window.start + 302_001 } }),
    ]);
    const card = evaluateDrill({ ...toEvaluationInput(p), findings: [] });
    expect(card).toMatchObject({ unlabelled: false, passed: false, recall: 0 });
  });

  it('without labels says the data is unlabelled: no precision, no recall, never a perfect score', () => {
    const p = plan('{ file: FILES/cascade.ndjson }');
    expect(p.unlabelled).toBe(true);
    expect(p.incidents).toEqual([]);
    const card = evaluateDrill({ ...toEvaluationInput(p), findings: [] });
    expect(card).toMatchObject({ unlabelled: true, precision: null, recall: null, f1: null });
    const text = renderScorecard(card, false);
    expect(text).toContain('unlabelled: nothing was tested');
    expect(text).not.toContain('100.0%');
  });

  it('takes labels written on the lines (NDJSON `label`)', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'inline-'));
    const lines = readFileSync(join(dir, 'cascade.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    writeFileSync(join(tmp, 'labelled.ndjson'), lines.map((l, i) => JSON.stringify({ ...l, label: i >= 2 && i <= 4 ? 'rds-app-ecs-cascade' : '-' })).join('\n'));
    const p = plan(`{ file: ${join(tmp, 'labelled.ndjson')} }`);
    expect(p.unlabelled).toBeUndefined();
    expect(p.incidents.map((i) => [i.kind, i.window.start - p.window.start, i.window.end - p.window.start])).toEqual([['rds-app-ecs-cascade', 300_000, 302_001]]);
  });

  it("takes labels written in raw lines as public corpora carry them (a label column, fail2ban's `# failJSON:`), and replays none of them", () => {
    const col = plan(`{ file: ${join(rdir, 'app-label-column.log')}, format: native, labelColumn: true, labelKind: app-db-errors }`);
    expect(col.unlabelled).toBeUndefined();
    expect(col.incidents.map((i) => [i.kind, i.window.start - col.window.start, i.window.end - col.window.start])).toEqual([['app-db-errors', 301_000, 303_001]]);
    const sent = [...col.events()].map((e) => e.message);
    expect(sent).toHaveLength(5);
    expect(sent.some((m) => /DBERR|^- /.test(m))).toBe(false);

    const f2b = plan(`{ file: ${join(rdir, 'sshd-failjson.log')}, labelKind: ec2-ssh-bruteforce }`, undefined, 'ec2');
    expect(f2b.incidents.map((i) => [i.kind, i.window.start - f2b.window.start])).toEqual([['ec2-ssh-bruteforce', 185_000], ['ec2-ssh-bruteforce', 520_000]]);
    expect([...f2b.events()].some((e) => e.message.includes('failJSON'))).toBe(false);
    // The labels are the plan's incidents (kept aside with the truth); no replayed event carries one.
    expect([...f2b.events()].every((e) => !e.label)).toBe(true);
    expect([...f2b.truth()]).toEqual([]);
  });

  it('validate: a corpus tag with no `labelKind`, and a label column the file does not have, are problems of the drill file', () => {
    expect(() => plan(`{ file: ${join(rdir, 'app-label-column.log')}, format: native, labelColumn: true }`)).toThrow(/labelKind[\s\S]*line 3 is labelled `DBERR`, which names no incident kind/);
    expect(() => plan(`{ file: ${join(rdir, 'sshd-failjson.log')} }`, undefined, 'ec2')).toThrow(/line 8 is labelled `failJSON`/);
    expect(() => plan(`{ file: FILES/cascade.ndjson, labelColumn: true }`)).toThrow(/labelColumn[\s\S]*label column/);
  });

  it('refuses a recording whose groups the estate does not declare, and a file that is not there', () => {
    const undeclared = () => plan('{ file: FILES/cascade.ndjson }', '  names: { database: mydb }');
    expect(undeclared).toThrow(ScenarioValidationError);
    expect(() => undeclared()).toThrow(/log group \/ecs\/my-python-service is not declared/);
    expect(() => plan('{ file: FILES/nope.ndjson }')).toThrow(/replay file not readable/);
    expect(() => plan('{ file: FILES/cascade.ndjson, labels: FILES/nope.yaml }')).toThrow(/labels: cannot read/);
  });

  it("reads and shifts a plain stamp at a line's start, not a date the message mentions", () => {
    expect(lineTime('2025-12-28 10:00:01 ERROR Database connection failed', 'app')).toBe(Date.UTC(2025, 11, 28, 10, 0, 1));
    expect(lineTime('2025-12-28 10:00:01,250 - app - ERROR - x', 'app')).toBe(Date.UTC(2025, 11, 28, 10, 0, 1, 250));
    expect(shiftLine('2025-12-28 23:59:59,250 ERROR due 2025-12-28 23:59:59', 'app', 1000)).toBe('2025-12-29 00:00:00,250 ERROR due 2025-12-28 23:59:59');
  });
});
