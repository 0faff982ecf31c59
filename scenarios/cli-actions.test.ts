import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseTruthManifest } from '../generators/common/truth.ts';
import { formatCatalog, generateFromScenario, validateFiles } from './cli-actions.ts';
import { CATALOG_DIR } from './catalog.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

describe('command actions', () => {
  it('list: one line per catalog drill with its description', () => {
    const text = formatCatalog();
    // Every drill of the folder, the production-volume ones included (they are run by name or by drill:volume).
    expect(text.trim().split('\n')).toHaveLength(readdirSync(CATALOG_DIR).filter((f) => f.endsWith('.yaml')).length);
    expect(text).toMatch(/^quiet-baseline-x20 +30m /m);
    expect(text).toMatch(/^rds-app-ecs-cascade +20m {2}RDS connection exhaustion/m);
    expect(text).not.toContain('INVALID');
  });

  it('validate: ok lines for good files, located problems and exit 1 for bad ones', async () => {
    const r = await validateFiles([here('./quiet-baseline.yaml'), here('./testdata/broken/unknown-kind.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('ok  ');
    expect(r.stderr).toMatch(/unknown-kind\.yaml:13:11 incidents\[0\]\.kind: not an incident kind/);
    expect(r.stderr).toContain('1 of 2 files invalid');
    expect((await validateFiles([here('./waf-http-flood.yaml')])).code).toBe(0);
  });

  it('generate --scenario: per-destination files, a truth manifest and plan.json', async () => {
    const out = await mkdtemp(join(tmpdir(), 'firedrill-gen-'));
    try {
      const r = await generateFromScenario({ scenario: here('./waf-sqli-scanner.yaml'), out, now: '2026-11-21T11:00:00Z' });
      expect(r.streams.length).toBeGreaterThan(0);
      const lines = (await readFile(join(out, r.streams[0]!.file), 'utf8')).trim().split('\n');
      expect(lines).toHaveLength(r.streams[0]!.events);
      const truth = parseTruthManifest(await readFile(join(out, 'truth.ndjson'), 'utf8'));
      expect(truth.length).toBe(r.truthEntries);
      expect(truth.every((t) => t.incidentId === 'sqli' && t.kind === 'waf-sqli-scanner')).toBe(true);
      const plan = JSON.parse(await readFile(join(out, 'plan.json'), 'utf8')) as { seed: string; incidents: { id: string }[]; expectations: { remediation: { outcome: string }[] } };
      expect(plan.seed).toBe('2003');
      expect(plan.incidents.map((i) => i.id)).toEqual(['sqli']);
      expect(plan.expectations.remediation[0]!.outcome).toBe('waf-ip-blocked');
      expect(r.summary).toContain('seed 2003');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
