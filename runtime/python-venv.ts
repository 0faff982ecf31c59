import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { HandlerInitError } from './invoker.ts';

export interface PythonVenv {
  dir: string;
  python: string;
}

export interface EnsurePythonVenvOptions {
  /** Names the venv directory and the errors: the SUT (or the handler) it is for. */
  owner: string;
  /** Who asked, for the errors: `<handler> of <SUT>`. */
  handler: string;
  /** The requirements file (absolute), or none for an empty venv. */
  requirements?: string;
  /** Where venvs live (default `.firedrill/venvs` under the working directory). */
  root?: string;
  /** The interpreter that creates the venv (default FIREDRILL_PYTHON, else python3: the project's Python). */
  python?: string;
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
}

const MARKER = '.firedrill-venv';

/**
 * The venv a Python handler runs in, made on first use: `<root>/<owner>-<hash>`, where the hash covers the
 * requirements file and the interpreter's version, so an edited file or another Python makes a new venv and an
 * unchanged one is reused at once. Built in a temporary directory and renamed into place when complete, so an
 * interrupted build is never taken for a ready venv and two runs building the same one do not collide.
 * `pip install --require-hashes` when the file pins hashes (pip's hash-checking mode, as a locked file expects).
 */
export async function ensurePythonVenv(opts: EnsurePythonVenvOptions): Promise<PythonVenv> {
  const python = opts.python ?? process.env.FIREDRILL_PYTHON ?? 'python3';
  const root = opts.root ?? path.resolve('.firedrill', 'venvs');
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const who = `handler ${opts.handler}`;

  const version = (
    await run(python, ['-c', 'import sys, venv; print("%d.%d.%d" % sys.version_info[:3])']).catch((err: unknown) => {
      throw new HandlerInitError(`${who}: cannot run ${python} to make its venv (venv)`, {
        expected: `a Python 3 interpreter with the venv module as ${python}`,
        seen: message(err),
        fix: 'run `npm run setup` (it checks the project\'s Python), install python3 and python3-venv, or set FIREDRILL_PYTHON to a Python 3.9+ interpreter',
        cause: err,
      });
    })
  ).trim();
  const [major, minor] = version.split('.').map(Number);
  if (major !== 3 || (minor ?? 0) < 9) {
    throw new HandlerInitError(`${who}: ${python} is Python ${version} (venv)`, { expected: 'Python 3.9 or newer (the Lambda Python runtimes)', seen: `Python ${version}`, fix: 'set FIREDRILL_PYTHON to a Python 3.9+ interpreter' });
  }

  let requirements = '';
  if (opts.requirements) {
    requirements = await readFile(opts.requirements, 'utf8').catch((err: unknown) => {
      throw new HandlerInitError(`${who}: cannot read its requirements file (venv)`, { expected: `a readable file at ${opts.requirements}`, seen: message(err), fix: 'fix the requirements path in the SUT file', cause: err });
    });
  }
  const hash = createHash('sha256').update(`python ${version}\n`).update(requirements).digest('hex').slice(0, 12);
  const dir = path.join(root, `${opts.owner.replace(/[^A-Za-z0-9_.-]/g, '_')}-${hash}`);
  const venv: PythonVenv = { dir, python: path.join(dir, 'bin', 'python') };
  if (existsSync(path.join(dir, MARKER)) && existsSync(venv.python)) return venv;

  const tmp = `${dir}.tmp-${process.pid}-${randomBytes(3).toString('hex')}`;
  const tmpPython = path.join(tmp, 'bin', 'python');
  await mkdir(root, { recursive: true });
  log(`firedrill runtime: making the Python venv of ${who} in ${dir}${opts.requirements ? ` from ${opts.requirements}` : ''} (once per requirements file)`);
  try {
    await run(python, ['-m', 'venv', tmp]).catch((err: unknown) => {
      throw new HandlerInitError(`${who}: could not create its venv (venv)`, {
        expected: `\`${python} -m venv\` to succeed`,
        seen: message(err),
        fix: 'Debian/Ubuntu: `apt-get install -y python3-venv`; or set FIREDRILL_PYTHON to an interpreter with venv and pip',
        cause: err,
      });
    });
    if (opts.requirements) {
      const args = pipInstallArgs(requirements, opts.requirements);
      const hashed = args.includes('--require-hashes');
      await run(tmpPython, args, path.dirname(opts.requirements)).catch((err: unknown) => {
        throw new HandlerInitError(`${who}: pip could not install its requirements (pip install)`, {
          expected: `pip install ${hashed ? '--require-hashes ' : ''}-r ${opts.requirements} to succeed`,
          seen: message(err),
          fix: hashed
            ? 'with hashes, every requirement (dependencies too) needs a pinned version and its --hash: regenerate the file (e.g. `pip-compile --generate-hashes`), or check network access to PyPI'
            : 'check the package names and versions in the requirements file and network access to PyPI (or the index in pip.conf)',
          cause: err,
        });
      });
    }
    await writeFile(path.join(tmp, MARKER), `${requirements ? opts.requirements : '(no requirements)'}\npython ${version}\n`);
    // A directory without the marker is a leftover nobody can use (it is never made in place): replace it.
    if (existsSync(dir) && !existsSync(path.join(dir, MARKER))) await rm(dir, { recursive: true, force: true });
    try {
      await rename(tmp, dir);
    } catch (err) {
      // Another run finished the same venv first: use it.
      if (!existsSync(path.join(dir, MARKER))) throw err;
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  log(`firedrill runtime: venv of ${who} ready`);
  return venv;
}

/**
 * pip's arguments for a requirements file: hash-checking mode (`--require-hashes`) when the file pins any hash, so
 * that a locked file is installed exactly or not at all (pip would turn the mode on by itself at the first hash;
 * saying it makes a file that hashes only some of its requirements fail clearly).
 */
export function pipInstallArgs(requirementsText: string, requirementsFile: string): string[] {
  const hashed = requirementsText.split('\n').some((line) => !line.trimStart().startsWith('#') && /(^|\s)--hash[=\s]/.test(line));
  return ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-input', ...(hashed ? ['--require-hashes'] : []), '-r', requirementsFile];
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Runs a command to completion; resolves with stdout, rejects with the tail of stderr. */
function run(cmd: string, args: string[], cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(cwd ? { cwd } : {}) });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve(out);
      else reject(new Error(`${path.basename(cmd)} ${args.join(' ')} exited with ${code ?? signal}: ${err.trim().split('\n').slice(-6).join(' | ')}`));
    });
  });
}
