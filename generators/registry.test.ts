import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IncidentKind, SourceName } from '../core/vocabulary.ts';
import { backgroundGenerators, incidentGenerators } from './registry.ts';
import { determinismName } from './common/testing.ts';

/** Every `*.snap` under generators/ (snapshots sit in __snapshots__ beside each test file). */
function snapshotFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...snapshotFiles(p));
    else if (name.endsWith('.snap')) out.push(p);
  }
  return out;
}

describe('generator registry', () => {
  const here = new URL('.', import.meta.url).pathname;
  const snapshots = snapshotFiles(here).map((f) => readFileSync(f, 'utf8')).join('\n');
  const covered = (name: string) => snapshots.includes(`exports[\`determinism ${name} > seed `);

  it('has a committed determinism snapshot for every registered generator', () => {
    const names = [
      ...(Object.keys(backgroundGenerators) as SourceName[]).map((s) => determinismName({ background: s })),
      ...(Object.keys(incidentGenerators) as IncidentKind[]).map((k) => determinismName({ incident: k })),
    ];
    const missing = names.filter((n) => !covered(n));
    // Fix: call determinismSuite({ background: '<source>' }) / ({ incident: '<kind>' }) from the source's
    // test file (generators/common/testing.ts) and commit the __snapshots__ file it writes.
    expect(missing, 'registered generators without a determinism snapshot').toEqual([]);
  });

  it('registers each generator under its own name', () => {
    for (const [source, g] of Object.entries(backgroundGenerators)) expect(g?.source).toBe(source);
    for (const [kind, g] of Object.entries(incidentGenerators)) expect(g?.kind).toBe(kind);
  });
});
