import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { needsTypeScriptLoader, wantsTypeScript } from './typescript-loader.ts';

const exists = () => true;

describe('needsTypeScriptLoader', () => {
  it('spares a JavaScript handler of the compiled runtime the loader', () => {
    for (const f of ['/sut/handler.js', '/sut/handler.mjs', '/sut/handler.cjs']) expect(needsTypeScriptLoader(f, false, exists)).toBe(false);
  });

  it('registers it for a TypeScript handler, whichever runtime loads it', () => {
    for (const f of ['/sut/handler.ts', '/sut/handler.mts', '/sut/handler.cts', '/sut/handler.tsx']) expect(needsTypeScriptLoader(f, false, exists)).toBe(true);
  });

  it('registers it whenever the runtime runs from its TypeScript sources (the thread entry is TypeScript)', () => {
    expect(needsTypeScriptLoader('/sut/handler.js', true, exists)).toBe(true);
  });

  it('registers it for a file that does not exist as named (tsx maps ./x.js to ./x.ts)', () => {
    expect(needsTypeScriptLoader('/sut/handler.js', false, () => false)).toBe(true);
  });
});

/** What a plain Node thread (no loader: vitest's does not reach workers) throws when it imports `file`. */
function importError(file: string): Promise<unknown> {
  const code = `import(${JSON.stringify(pathToFileURL(file).href)}).then(() => require('node:worker_threads').parentPort.postMessage(null), (e) => require('node:worker_threads').parentPort.postMessage({ code: e.code, message: e.message }))`;
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true });
    w.once('message', resolve);
    w.once('error', reject);
  });
}

describe('wantsTypeScript, on the errors Node itself throws', () => {
  const dir = mkdtempSync(join(tmpdir(), 'firedrill-tsloader-'));
  writeFileSync(join(dir, 'helper.ts'), 'export const n: number = 1;\n');
  writeFileSync(join(dir, 'imports-ts.mjs'), "export { n } from './helper.ts';\n");
  writeFileSync(join(dir, 'imports-js-for-ts.mjs'), "export { n } from './helper.js';\n");
  writeFileSync(join(dir, 'imports-missing-package.mjs'), "export * from 'no-such-package-anywhere';\n");
  writeFileSync(join(dir, 'plain.mjs'), 'export const n = 1;\n');

  it('asks for tsx when a JavaScript module imports a .ts file', async () => {
    const err = await importError(join(dir, 'imports-ts.mjs'));
    expect(err).toMatchObject({ code: 'ERR_UNKNOWN_FILE_EXTENSION' });
    expect(wantsTypeScript(err)).toBe(true);
  });

  it('asks for tsx when it imports ./x.js that exists only as x.ts', async () => {
    const err = await importError(join(dir, 'imports-js-for-ts.mjs'));
    expect(err).toMatchObject({ code: 'ERR_MODULE_NOT_FOUND' });
    expect(wantsTypeScript(err)).toBe(true);
  });

  it('does not for a missing package or an error of the code itself', async () => {
    const err = await importError(join(dir, 'imports-missing-package.mjs'));
    expect(err).toMatchObject({ code: 'ERR_MODULE_NOT_FOUND' });
    expect(wantsTypeScript(err)).toBe(false);
    expect(wantsTypeScript(new SyntaxError("Unexpected token ':' in /sut/x.ts"))).toBe(false);
    expect(wantsTypeScript(undefined)).toBe(false);
    expect(await importError(join(dir, 'plain.mjs'))).toBeNull();
  });
});
