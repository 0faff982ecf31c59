import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultTopology, syntheticEstate } from '../core/topology/index.ts';
import { backgroundGenerators, incidentGenerators } from '../generators/registry.ts';
import { isVolumeDrill, listCatalog } from './catalog.ts';
import { compile } from './compile.ts';
import { formatIssue } from './errors.ts';
import { parseScenario } from './load-scenario.ts';

const NOW = Date.parse('2026-11-21T11:00:00Z');
const catalog = listCatalog();
const estate = syntheticEstate(defaultTopology());

const REQUIRED = [
  'quiet-baseline', 'waf-geo-anomaly', 'waf-credential-stuffing', 'waf-sqli-scanner', 'waf-http-flood', 'vpc-port-scan',
  'vpc-exfiltration', 'ec2-ssh-bruteforce', 'ec2-disk-full', 'cloudtrail-compromised-key', 'lambda-timeout-storm',
  's3-mass-delete', 'rds-app-ecs-cascade', 'bad-day', 'eks-crashloop-storm', 'eks-anonymous-api-burst', 'eks-exec-secret-read', 'eks-node-not-ready',
  'waf-share-shift', 'quiet-baseline-x20', 'bad-day-x20',
];

describe('catalog', () => {
  it('ships every required drill', () => {
    expect(catalog.map((c) => c.id).sort()).toEqual([...REQUIRED].sort());
  });

  for (const entry of catalog) {
    describe(entry.id, () => {
      it('validates, has the schema modeline, and its id matches its file name', () => {
        expect(entry.issues.map(formatIssue)).toEqual([]);
        const text = readFileSync(entry.file, 'utf8');
        expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./scenario.schema.json');
        expect(entry.file.endsWith(`/${entry.id}.yaml`)).toBe(true);
        // A short drill runs through the emulator in seconds; production-volume drills (tag `volume`) are benchmarks.
        if (!isVolumeDrill(entry)) expect(['10m', '15m', '20m']).toContain(entry.duration);
      });

      const scenario = parseScenario(readFileSync(entry.file, 'utf8'), { file: entry.file, now: NOW });
      const missing = [
        ...scenario.background.filter((b) => !b.replay && !backgroundGenerators[b.source]).map((b) => `background generator \`${b.source}\``),
        ...scenario.incidents.filter((i) => !incidentGenerators[i.kind]).map((i) => `incident generator \`${i.kind}\``),
      ];
      // Production-volume drills (a million events) compile in `npm run drill:volume`, not in the unit suite.
      if (isVolumeDrill(entry)) return;
      if (missing.length > 0) {
        it.todo(`compiles once generators/registry.ts registers: ${[...new Set(missing)].join(', ')}`);
        return;
      }
      it('compiles with the registered generators: events in window, truth inside incident windows, deterministic', () => {
        const plan = compile(scenario, estate, { now: NOW, file: entry.file });
        let n = 0;
        let acc = 0;
        for (const e of plan.events()) {
          expect(e.time >= plan.window.start && e.time < plan.window.end).toBe(true);
          n++;
          acc = (acc * 31 + e.time + e.message.length) % 1_000_000_007;
        }
        // Moderate rates: a drill must push through the emulator quickly.
        expect(n).toBeGreaterThan(0);
        expect(n).toBeLessThan(200_000);
        const warmEnd = plan.phases[0]!.end;
        for (const t of plan.truth()) {
          const inc = plan.incidents.find((i) => i.id === t.incidentId)!;
          expect(t.time).toBeGreaterThanOrEqual(Math.max(inc.window.start, warmEnd));
          expect(t.time).toBeLessThan(inc.window.end);
        }
        let again = 0;
        for (const e of compile(scenario, estate, { now: NOW, file: entry.file }).events()) again = (again * 31 + e.time + e.message.length) % 1_000_000_007;
        expect(again).toBe(acc);
        if (scenario.incidents.length > 0) expect([...plan.truth()].length).toBeGreaterThan(0);
        // Every expectation resolved to a concrete entity.
        for (const d of plan.expectations.detect) if (d.entity) expect(d.entity.value).toBeTruthy();
        for (const r of plan.expectations.remediation) expect(r.entity?.value).toBeTruthy();
        // Two full passes over the largest drills (bad-day: ~80k events, 40 MB of lines) take a few CPU-seconds,
        // which a busy runner can stretch past the default 30 s.
      }, 120_000);
    });
  }
});

describe('catalog drills with the real generators', () => {
  const load = (id: string) => parseScenario(readFileSync(new URL(`./${id}.yaml`, import.meta.url), 'utf8'), { now: NOW });
  const ready = (id: string) => {
    const s = load(id);
    return s.incidents.every((i) => incidentGenerators[i.kind]) && s.background.every((b) => b.replay || backgroundGenerators[b.source]);
  };

  it.skipIf(!ready('rds-app-ecs-cascade'))('rds-app-ecs-cascade: each link starts no earlier than its lag after the previous one', () => {
    const plan = compile(load('rds-app-ecs-cascade'), estate, { now: NOW });
    const inc = plan.incidents[0]!;
    expect(inc.params).toEqual({ lags: { appSeconds: 45, ecsSeconds: 90 } });
    const first = new Map<string, number>();
    for (const e of plan.events()) if (e.label?.role && !first.has(e.label.role)) first.set(e.label.role, e.time);
    expect([...first.keys()].sort()).toEqual(['app', 'ecs', 'rds']);
    expect(first.get('rds')!).toBeGreaterThanOrEqual(inc.window.start);
    expect(first.get('app')! - inc.window.start).toBeGreaterThanOrEqual(45_000);
    expect(first.get('ecs')! - inc.window.start).toBeGreaterThanOrEqual(135_000);
    // A multi-minute cascade, not a few seconds: the ECS link begins minutes after the database.
    expect(first.get('ecs')! - first.get('rds')!).toBeLessThan(inc.window.end - inc.window.start);
  });

  it.skipIf(!ready('bad-day'))('bad-day: benign bursts are background (never labelled) and incidents overlap', () => {
    const s = load('bad-day');
    const shaped = s.background.filter((b) => typeof b.rate === 'object' && (b.rate.ramps?.length || b.rate.bursts?.length));
    expect(shaped.map((b) => b.source).sort()).toEqual(['app', 'cloudtrail', 'ecs', 'lambda', 's3access', 'waf']);
    const plan = compile(s, estate, { now: NOW });
    const labelled = new Set<string>();
    for (const e of plan.events()) if (e.label) labelled.add(e.label.incidentId);
    expect([...labelled].sort()).toEqual(['brute', 'cascade', 'flood', 'leak']);
    const w = plan.incidents.map((i) => i.window);
    const overlaps = w.filter((a, i) => w.some((b, j) => i !== j && a.start < b.end && b.start < a.end));
    expect(overlaps.length).toBe(w.length);
    expect(plan.incidents.find((i) => i.id === 'cascade')!.window.start - plan.incidents.find((i) => i.id === 'flood')!.window.start).toBe(3 * 60_000);
  });
});
