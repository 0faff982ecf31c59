/**
 * `npm run bench:cli-start [-- --rounds N]`: how long `firedrill --help` takes, whole process (spawn to exit), in
 * interleaved rounds so a busy machine slows every variant alike; medians compared. Variants:
 * - `node` alone (`node -e 0`): the floor any Node CLI pays;
 * - the build (`node dist/cli/bin.js --help`): what an installed package runs (`npm run build` first);
 * - the sources through tsx (`node bin/firedrill.js --help`): what every start cost before the build existed.
 * Also `--version` from the build, and `run --help` (one command's registration, still without its modules).
 * Prints figures; asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const rounds = Number(arg('--rounds') ?? 9);
if (!existsSync(`${root}/dist/cli/bin.js`)) {
  process.stderr.write('bench:cli-start: dist/cli/bin.js is missing; run `npm run build` first\n');
  process.exit(2);
}

const VARIANTS: { name: string; args: string[] }[] = [
  { name: 'node -e 0 (floor)', args: ['-e', '0'] },
  { name: 'dist: firedrill --help', args: ['dist/cli/bin.js', '--help'] },
  { name: 'dist: firedrill --version', args: ['dist/cli/bin.js', '--version'] },
  { name: 'dist: firedrill run --help', args: ['dist/cli/bin.js', 'run', '--help'] },
  { name: 'sources via tsx: firedrill --help', args: ['bin/firedrill.js', '--help'] },
];

function once(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${r.status}: ${r.stderr}`);
  return ms;
}

const samples = new Map(VARIANTS.map((v) => [v.name, [] as number[]]));
// One unmeasured pass warms the file system cache for every variant.
for (const v of VARIANTS) once(v.args);
for (let i = 0; i < rounds; i++) for (const v of VARIANTS) samples.get(v.name)!.push(once(v.args));

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const medians = new Map([...samples].map(([k, xs]) => [k, median(xs)]));
const tsx = medians.get('sources via tsx: firedrill --help')!;
console.log(`firedrill start, whole process, median of ${rounds} interleaved rounds (Node ${process.versions.node})\n`);
console.log('| variant | median ms | min ms | max ms | vs tsx --help |');
console.log('| --- | --- | --- | --- | --- |');
for (const v of VARIANTS) {
  const xs = samples.get(v.name)!;
  const m = medians.get(v.name)!;
  console.log(`| ${v.name} | ${m.toFixed(0)} | ${Math.min(...xs).toFixed(0)} | ${Math.max(...xs).toFixed(0)} | ${(m / tsx).toFixed(2)}× |`);
}
const help = medians.get('dist: firedrill --help')!;
console.log(`\n--help from the build: ${help.toFixed(0)} ms (target ≤ 300 ms), ${(tsx / help).toFixed(1)}× faster than through tsx; ${(help - medians.get('node -e 0 (floor)')!).toFixed(0)} ms above bare node`);
