import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

/** Runs `code` as `node --import tsx --input-type=module -e <code>`: how a user's one-off script imports firedrill. */
function evalModule(code: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8', timeout: 60_000 });
}

describe('moduleThread', () => {
  const dir = mkdtempSync(join(tmpdir(), 'firedrill-thread-'));
  const threadModule = join(dir, 'answer.mjs');
  writeFileSync(threadModule, "import { parentPort, workerData } from 'node:worker_threads';\nparentPort.postMessage(`module thread got ${workerData.n}`);\n");
  const run = (how: string) => `
    import { Worker } from 'node:worker_threads';
    const { moduleThread } = await import(${JSON.stringify(new URL('./module-thread.ts', import.meta.url).href)});
    const url = new URL(${JSON.stringify(pathToFileURL(threadModule).href)});
    const w = ${how};
    w.once('message', (m) => { console.log(m); void w.terminate(); });
    w.once('error', (e) => { console.log('thread error: ' + e.message); process.exitCode = 1; });`;

  it('runs a module in a thread of a process started with --input-type=module -e, where a file entry dies', () => {
    const ours = evalModule(run('moduleThread(url, { workerData: { n: 7 } })'));
    expect(ours.stdout.trim(), ours.stderr).toBe('module thread got 7');
    // The failure it avoids, so that this test fails if Node ever stops refusing it (the workaround could then go).
    const plain = evalModule(run('new Worker(url, { workerData: { n: 7 } })'));
    expect(`${plain.stdout}${plain.stderr}`).toMatch(/--input-type can only be used with string input/);
  });

  it('reports a module that fails to load as the thread\'s error', () => {
    const missing = evalModule(run(`moduleThread(new URL('file:///nonexistent/firedrill-missing.mjs'))`));
    expect(missing.stdout).toMatch(/thread error: .*firedrill-missing\.mjs/);
  });
});
