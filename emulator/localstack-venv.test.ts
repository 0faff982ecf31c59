import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPython313 } from './localstack-venv.ts';

/** Fake interpreters: shell scripts that answer the version probe as a real Python would. */
async function fakePython(file: string, version: string): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `#!/bin/sh\necho ${version}\n`);
  await chmod(file, 0o755);
  return file;
}

describe('findPython313', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'firedrill-py313-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('takes FIREDRILL_PYTHON313 alone when set, and refuses another version with what it is', async () => {
    const py312 = await fakePython(path.join(dir, 'given', 'python'), '3.12.1');
    const err = (await findPython313({ FIREDRILL_PYTHON313: py312, PATH: path.join(dir, 'empty') }).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/no Python 3\.13 interpreter for LocalStack/);
    expect(err.message).toContain(`FIREDRILL_PYTHON313 (${py312}): is Python 3.12.1, not 3.13`);
    const py313 = await fakePython(path.join(dir, 'given', 'python3.13'), '3.13.4');
    expect(await findPython313({ FIREDRILL_PYTHON313: py313 })).toEqual({ python: py313, version: '3.13.4', source: 'FIREDRILL_PYTHON313' });
  });

  it('prefers python3.13 on PATH over pyenv', async () => {
    const bin = path.join(dir, 'bin');
    await fakePython(path.join(bin, 'python3.13'), '3.13.1');
    const root = path.join(dir, 'pyenv-a');
    await fakePython(path.join(root, 'versions', '3.13.9', 'bin', 'python3.13'), '3.13.9');
    expect(await findPython313({ PATH: bin, PYENV_ROOT: root })).toMatchObject({ version: '3.13.1', source: 'PATH' });
  });

  it("falls back to pyenv's newest 3.13 when python3.13 on PATH fails (a pyenv shim with 3.13 not selected)", async () => {
    const bin = path.join(dir, 'shims');
    await mkdir(bin, { recursive: true });
    await writeFile(path.join(bin, 'python3.13'), '#!/bin/sh\necho "pyenv: python3.13: command not found" >&2\nexit 127\n');
    await chmod(path.join(bin, 'python3.13'), 0o755);
    const root = path.join(dir, 'pyenv-b');
    await fakePython(path.join(root, 'versions', '3.13.2', 'bin', 'python3.13'), '3.13.2');
    await fakePython(path.join(root, 'versions', '3.13.10', 'bin', 'python3.13'), '3.13.10');
    await fakePython(path.join(root, 'versions', '3.12.1', 'bin', 'python3.12'), '3.12.1');
    const found = await findPython313({ PATH: bin, PYENV_ROOT: root });
    expect(found).toEqual({ python: path.join(root, 'versions', '3.13.10', 'bin', 'python3.13'), version: '3.13.10', source: 'pyenv' });
  });

  it('says what is missing, place by place, when there is no 3.13 anywhere', async () => {
    const root = path.join(dir, 'pyenv-c');
    await fakePython(path.join(root, 'versions', '3.11.7', 'bin', 'python3.11'), '3.11.7');
    const err = (await findPython313({ PATH: path.join(dir, 'empty'), PYENV_ROOT: root }).catch((e: unknown) => e)) as Error & { fix?: string };
    expect(err.message).toContain('FIREDRILL_PYTHON313: not set');
    expect(err.message).toMatch(/PATH \(python3\.13\): .*ENOENT/);
    expect(err.message).toContain(`pyenv (${path.join(root, 'versions')}): no 3.13 installed (has 3.11.7)`);
    expect(err.fix).toMatch(/pyenv install 3\.13/);
  });
});
