import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultTopology, syntheticEstate } from '../core/topology/index.ts';
import { backgroundGenerators, incidentGenerators } from '../generators/registry.ts';
import { listCatalog } from './catalog.ts';
import { compile } from './compile.ts';
import { formatIssue } from './errors.ts';
import { parseScenario } from './load-scenario.ts';

const NOW = Date.parse('2026-11-21T11:00:00Z');
const catalog = listCatalog();
const estate = syntheticEstate(defaultTopology());

const REQUIRED = [
  'quiet-baseline', 'waf-geo-anomaly', 'waf-credential-stuffing', 'waf-sqli-scanner', 'waf-http-flood', 'vpc-port-scan',
  'vpc-exfiltration', 'ec2-ssh-bruteforce', 'ec2-disk-full', 'cloudtrail-compromised-key', 'lambda-timeout-storm',
  's3-mass-delete', 'rds-app-ecs-cascade', 'bad-day',
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
        // A short drill: runs through the emulator in seconds.
        expect(['10m', '15m', '20m']).toContain(entry.duration);
      });

      const scenario = parseScenario(readFileSync(entry.file, 'utf8'), { file: entry.file, now: NOW });
      const missing = [
        ...scenario.background.filter((b) => !b.replay && !backgroundGenerators[b.source]).map((b) => `background generator \`${b.source}\``),
        ...scenario.incidents.filter((i) => !incidentGenerators[i.kind]).map((i) => `incident generator \`${i.kind}\``),
      ];
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
      });
    });
  }
});
