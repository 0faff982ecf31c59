// `npm run build`: the installable package in dist/ — compiled ESM and .d.ts (tsc), plus the files the code reads
// at run time beside itself (the scenario catalog and its JSON Schema, Python runtime files).
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');

/** Files under `dir` (recursively) whose name passes `keep`, skipping test data. */
function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'testdata' && e.name !== '__pycache__') out.push(...filesUnder(path, keep));
    } else if (keep(e.name)) out.push(path);
  }
  return out;
}

const isPythonRuntimeFile = (name: string) => name.endsWith('.py') || name.endsWith('.lock') || name === 'pyproject.toml' || /^requirements.*\.txt$/.test(name);

rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);

const assets = [
  ...filesUnder(join(root, 'scenarios'), (n) => n.endsWith('.yaml') || n === 'scenario.schema.json'),
  join(root, 'harness', 'sut', 'sut.schema.json'),
  // The analyzer's prompt templates, read beside its module.
  ...filesUnder(join(root, 'pipeline', 'analyze', 'prompts'), (n) => n.endsWith('.md')),
  // Python the runtime runs (handler bootstraps, the LocalStack launcher) and the locks its venvs are made from.
  ...['runtime', 'pipeline', 'harness', 'emulator'].flatMap((d) => filesUnder(join(root, d), isPythonRuntimeFile)),
  // Worker entries in plain JavaScript (they register tsx for handlers written in TypeScript).
  ...['runtime', 'emulator'].flatMap((d) => filesUnder(join(root, d), (n) => n.endsWith('.mjs'))),
];
for (const file of assets) {
  const to = join(dist, relative(root, file));
  cpSync(file, to);
}
// The builtin SUT file names its handlers and hooks by their TypeScript sources; beside the build, the compiled ones.
const builtinSut = readFileSync(join(root, 'pipeline', 'firedrill.sut.yaml'), 'utf8').replace(/\.ts#/g, '.js#');
writeFileSync(join(dist, 'pipeline', 'firedrill.sut.yaml'), builtinSut);
chmodSync(join(dist, 'cli', 'bin.js'), 0o755);
process.stdout.write(`dist/ built; ${assets.length} asset file(s) copied beside the compiled modules\n`);
