import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { listCatalog } from '../scenarios/index.ts';

/**
 * What `npm pack` would ship, read from npm itself (`npm pack --dry-run --json`) against the build in dist/ (`npm
 * test` builds before vitest runs; in CI the build step comes first). Scripts are skipped so the test packs the build
 * it was given rather than making another.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  exports: Record<string, string | Record<string, string>>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

let files: string[] = [];

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'cli', 'bin.js'))) throw new Error('dist/ is not built: run `npm run build` first (npm test does)');
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  files = (JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
}, 60_000);

describe('npm pack: what the package ships', () => {
  it('ships the compiled CLI and library with their types, the catalog, its schema, the runtime\'s worker entries and Python files, and the README', () => {
    expect(files).toContain('package.json');
    expect(files).toContain('README.md');
    for (const target of Object.values(pkg.bin)) expect(files).toContain(normalize(target));
    const exported = Object.values(pkg.exports).flatMap((e) => (typeof e === 'string' ? [e] : Object.values(e))).map((p) => normalize(p));
    for (const target of exported) expect(files).toContain(target);
    expect(files).toContain('dist/index.d.ts');
    for (const drill of listCatalog()) expect(files).toContain(`dist/scenarios/${drill.id}.yaml`);
    expect(files).toContain('dist/scenarios/scenario.schema.json');
    expect(files).toContain('dist/harness/sut/sut.schema.json');
    expect(files).toContain('dist/pipeline/firedrill.sut.yaml');
    expect(files).toContain('dist/runtime/handler-worker.mjs');
    expect(files).toContain('dist/emulator/task-thread.mjs');
    expect(files).toContain('dist/runtime/python/bootstrap.py');
  });

  it('ships no sources, tests, benchmarks, fixtures, infra or Lambda bundles', () => {
    const unwanted = files.filter(
      (f) =>
        (f.endsWith('.ts') && !f.endsWith('.d.ts')) ||
        /\.test\.(js|d\.ts)$/.test(f) ||
        /(^|\/)(test|bench|infra|testdata|scripts|\.github)\//.test(f) ||
        f.startsWith('dist/lambda/') ||
        /(^|\/)test-[\w-]+\.js$/.test(f) ||
        f.endsWith('.map'),
    );
    expect(unwanted).toEqual([]);
    expect(files.every((f) => f.startsWith('dist/') || f === 'package.json' || f === 'README.md')).toBe(true);
  });

  it('every relative import of a shipped module points at a shipped file', () => {
    const shipped = new Set(files);
    const broken: string[] = [];
    for (const f of files.filter((x) => x.endsWith('.js'))) {
      const text = readFileSync(join(root, f), 'utf8');
      for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|new URL\(\s*)['"`](\.{1,2}\/[^'"`$]+)['"`]/g)) {
        const target = normalize(join(dirname(f), m[1]!));
        // A folder (`./localstack-python/`) is shipped when files under it are.
        const found = m[1]!.endsWith('/') ? files.some((x) => x.startsWith(target)) : shipped.has(target);
        if (!found) broken.push(`${f} → ${m[1]}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('keeps test-only and infra-only packages out of the dependencies a user installs', () => {
    for (const dev of ['playwright-core', 'cdktf', '@cdktf/provider-aws', 'constructs', 'esbuild', 'vitest']) {
      expect(pkg.dependencies[dev], dev).toBeUndefined();
      expect(pkg.devDependencies[dev], dev).toBeDefined();
    }
  });
});
