import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emulatorEndpoint } from './support/emulator-endpoint.ts';
import { main } from '../cli/main.ts';
import { REPO_ROOT, freePort } from '../emulator/index.ts';
import { listCatalog } from '../scenarios/index.ts';

/** The real CLI in a child process, as CI runs it: its exit code and what it printed. */
function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/firedrill.js', ...args], { cwd: REPO_ROOT, env: { ...process.env, FIREDRILL_ENDPOINT: '', AWS_ENDPOINT_URL: '', ...env } });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    // A deadline, not a benchmark: a run that falls back to starting its own moto would go on far longer.
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    });
  });
}

const drill = (id: string) => listCatalog().find((c) => c.id === id)!.file;

describe('exit codes and explicit endpoints', () => {
  it('a dead FIREDRILL_ENDPOINT fails with exit code 3 and the reason, never a private moto', async () => {
    // The issue's own example: port 1, which fetch refuses outright.
    const r = await cli(['run', drill('ec2-disk-full')], { FIREDRILL_ENDPOINT: 'http://127.0.0.1:1' });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/does not answer/);
    expect(r.stderr).toContain('http://127.0.0.1:1');
    expect(r.stderr).not.toMatch(/passed/);
    // A closed port: the reason names the refused connection.
    const port = await freePort();
    const closed = await cli(['run', drill('ec2-disk-full')], { AWS_ENDPOINT_URL: `http://127.0.0.1:${port}` });
    expect(closed.code).toBe(3);
    expect(closed.stderr).toMatch(/ECONNREFUSED/);
  });

  it('a dead --endpoint fails likewise (ingest)', async () => {
    const ingest = await cli(['ingest', '--scenario', drill('ec2-disk-full'), '--endpoint', 'http://127.0.0.1:1']);
    expect(ingest.code).toBe(3);
    expect(ingest.stderr).toMatch(/http:\/\/127\.0\.0\.1:1 does not answer/);
    expect(ingest.stderr).toMatch(/fix: /);
  });

  it('usage errors exit with 2, --version with 0', async () => {
    const err = process.stderr.write.bind(process.stderr);
    const out = process.stdout.write.bind(process.stdout);
    process.stderr.write = (() => true) as typeof process.stderr.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      expect(await main(['node', 'firedrill', 'run', drill('ec2-disk-full'), '--target', 'mars'])).toBe(2);
      expect(await main(['node', 'firedrill', 'run', '--no-such-flag'])).toBe(2);
      expect(await main(['node', 'firedrill', '--version'])).toBe(0);
    } finally {
      process.stderr.write = err;
      process.stdout.write = out;
      process.exitCode = undefined;
    }
  });

  it('a drill that cannot run becomes a JUnit <error>; the others still run and every report is written', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'firedrill-crash-'));
    process.env.FIREDRILL_ENDPOINT = emulatorEndpoint();
    const write = process.stdout.write.bind(process.stdout);
    const out: string[] = [];
    process.stdout.write = ((chunk: string) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
    let code: number;
    try {
      code = await main(['node', 'firedrill', 'run', join(dir, 'missing-drill.yaml'), drill('ec2-disk-full'), '--json', '--report-dir', dir]);
    } finally {
      process.stdout.write = write;
      process.exitCode = undefined;
      delete process.env.FIREDRILL_ENDPOINT;
    }
    // The missing file is bad input (2), which outranks the other drill's pass.
    expect(code).toBe(2);
    const json = JSON.parse(out.join('')) as { passed: boolean; drills: { scenarioId: string; passed: boolean; error?: { type: string; usage: boolean } }[] };
    expect(json.drills.map((d) => [d.scenarioId, d.passed])).toEqual([['missing-drill', false], ['ec2-disk-full', true]]);
    expect(json.drills[0]!.error).toMatchObject({ usage: true });
    const junit = await readFile(join(dir, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<testsuite name="missing-drill" tests="1" failures="0" errors="1"/);
    expect(junit).toMatch(/<error type="\w+Error" message="[^"]*missing-drill\.yaml/);
    expect(junit).toMatch(/<testsuite name="ec2-disk-full" [^>]*errors="0"/);
    expect(existsSync(join(dir, 'report.html')) && existsSync(join(dir, 'scorecard.json'))).toBe(true);
    expect(await readFile(join(dir, 'report.html'), 'utf8')).toContain('did not run to the end');
  }, 300_000);
});
