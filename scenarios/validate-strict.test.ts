import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateFiles } from './cli-actions.ts';

const NOW = Date.parse('2026-11-21T11:00:00Z');

function file(incident: string, extra = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'strict-'));
  const f = join(dir, 'drill.yaml');
  writeFileSync(
    f,
    `id: strict
title: What validate used to let through
description: checks a compile against a synthetic estate makes
seed: 1
duration: 15m
phases: { warmup: 5m }
background:
  - { source: waf, rate: 60/m }
${extra}incidents:
${incident}
expect: {}
`,
  );
  return f;
}

describe('validate compiles each drill and reports what a run would silently ignore', () => {
  it('a param the kind never reads, with the ones it does', async () => {
    const r = await validateFiles([file('  - { id: flood, kind: waf-http-flood, at: fault+1m, duration: 3m, params: { rat: 30 } }')], { compile: true, now: NOW });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('`rat` is not a param of waf-http-flood');
    expect(r.stderr).toContain('did you mean `rate`?');
  });

  it('an entity the kind is not about', async () => {
    const r = await validateFiles([file('  - { id: flood, kind: waf-http-flood, at: fault+1m, duration: 3m, entities: { database: x } }')], { compile: true, now: NOW });
    expect(r.stderr).toContain('a waf-http-flood incident is not about a database');
  });

  it('a pool match that finds nothing', async () => {
    const r = await validateFiles([file('  - { id: brute, kind: ec2-ssh-bruteforce, at: fault+1m, duration: 3m, entities: { instance: { pool: instances, match: web-9 } } }')], { compile: true, now: NOW });
    expect(r.stderr).toContain('nothing in pool `instances` gives a `instance`');
  });

  it('a replay file that does not exist', async () => {
    const r = await validateFiles([file('  []', '  - { source: app, replay: { file: missing.log } }\n')], { compile: true, now: NOW });
    expect(r.stderr).toContain('replay file not readable');
  });

  it('lets a correct drill through', async () => {
    const r = await validateFiles([file('  - { id: flood, kind: waf-http-flood, at: fault+1m, duration: 3m, params: { rate: 30 } }')], { compile: true, now: NOW });
    expect(r).toMatchObject({ code: 0 });
  });
});
