import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The first two lines of both CLI entries: a POSIX sh launcher that node reads as a hashbang and a comment.
const header = (file: string) => readFileSync(new URL(file, import.meta.url), 'utf8').split('\n').slice(0, 2).join('\n');
const LAUNCHER = header('./bin.ts');

// A probe behind the launcher: what node was given, and how far the main isolate's young generation grew under an
// allocation-heavy loop (V8 keeps two semi-spaces, so new space is at most twice --max-semi-space-size).
const PROBE = `
import { getHeapSpaceStatistics } from 'node:v8';
let keep = [];
for (let i = 0; i < 1e6; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 100000) keep = []; }
const newSpace = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
console.log(JSON.stringify({ argv: process.argv.slice(2), nodeOptions: process.env.NODE_OPTIONS ?? null, mallocArenaMax: process.env.MALLOC_ARENA_MAX ?? null, mmapThreshold: process.env.MALLOC_MMAP_THRESHOLD_ ?? null, trimThreshold: process.env.MALLOC_TRIM_THRESHOLD_ ?? null, newSpaceMb: newSpace.space_size / 2 ** 20 }));
`;
const dir = mkdtempSync(join(tmpdir(), 'launcher-'));
const probe = join(dir, 'probe.mjs');
writeFileSync(probe, `${LAUNCHER}\n${PROBE}`);
chmodSync(probe, 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Probed {
  argv: string[];
  nodeOptions: string | null;
  mallocArenaMax: string | null;
  mmapThreshold: string | null;
  trimThreshold: string | null;
  newSpaceMb: number;
}

function run(cmd: string, args: string[], nodeOptions?: string, malloc: Record<string, string> = {}): Probed {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  for (const k of ['MALLOC_ARENA_MAX', 'MALLOC_MMAP_THRESHOLD_', 'MALLOC_TRIM_THRESHOLD_']) delete env[k];
  if (nodeOptions !== undefined) env.NODE_OPTIONS = nodeOptions;
  Object.assign(env, malloc);
  const r = spawnSync(cmd, args, { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as never;
}

describe.runIf(process.platform !== 'win32')('the CLI entries sh launcher', () => {
  it('is the same two lines in the installed bin and the clone entry', () => {
    expect(header('../bin/firedrill.js')).toBe(LAUNCHER);
    expect(LAUNCHER).toMatch(/^#!\/bin\/sh\n\/\/ /);
  });

  it('run as a command, gives node a capped young generation and passes every argument through unchanged', () => {
    const out = run(probe, ['run', 'a file.yaml', "it's", '--json']);
    expect(out.argv).toEqual(['run', 'a file.yaml', "it's", '--json']);
    expect(out.nodeOptions).toMatch(/^--max-semi-space-size=\d+$/);
    const mb = Number(/=(\d+)/.exec(out.nodeOptions!)![1]);
    expect(out.newSpaceMb).toBeLessThanOrEqual(2 * mb);
    // Without the launcher (node given the file), V8's default: the loop grows new space past the cap.
    expect(run(process.execPath, [probe]).newSpaceMb).toBeGreaterThan(2 * mb);
  });

  it('puts its flag before the user NODE_OPTIONS, so theirs are kept and a --max-semi-space-size of theirs wins', () => {
    const out = run(probe, [], '--max-semi-space-size=1 --no-warnings');
    expect(out.nodeOptions).toMatch(/^--max-semi-space-size=\d+ --max-semi-space-size=1 --no-warnings$/);
    expect(out.newSpaceMb).toBeLessThanOrEqual(2);
    expect(run(probe, [], '--max-semi-space-size=16').newSpaceMb).toBeGreaterThan(8);
  });

  it("limits glibc to two malloc arenas unless the user's environment sets MALLOC_ARENA_MAX, which wins", () => {
    expect(run(probe, []).mallocArenaMax).toBe('2');
    expect(run(probe, [], undefined, { MALLOC_ARENA_MAX: '8' }).mallocArenaMax).toBe('8');
    // Without the launcher, nothing sets it.
    expect(run(process.execPath, [probe]).mallocArenaMax).toBeNull();
  });

  it("fixes glibc's mmap and trim thresholds at 128 KiB unless the user's environment sets them, which wins", () => {
    expect(run(probe, [])).toMatchObject({ mmapThreshold: '131072', trimThreshold: '131072' });
    expect(run(probe, [], undefined, { MALLOC_MMAP_THRESHOLD_: '65536' })).toMatchObject({ mmapThreshold: '65536', trimThreshold: '131072' });
    expect(run(probe, [], undefined, { MALLOC_TRIM_THRESHOLD_: '0' })).toMatchObject({ mmapThreshold: '131072', trimThreshold: '0' });
    expect(run(process.execPath, [probe])).toMatchObject({ mmapThreshold: null, trimThreshold: null });
  });
});
