import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { packageRoot } from '../core/index.ts';
import { EmulatorSetupError } from './errors.ts';
import { runCommand as run } from './run-command.ts';

/**
 * 5.2.5 is the newest 5.2.x that works for us: its server executes Step Functions ASL, including
 * `arn:aws:states:::aws-sdk:*` tasks, and delivers Logs → Firehose → S3 → SQS. 5.2.0 is avoided (broken
 * server extras). Bump here only together with the e2e suite.
 */
export const MOTO_VERSION = '5.2.5';
export const MOTO_REQUIREMENT = `moto[server]==${MOTO_VERSION}`;

/** The package root (the repository from the sources, the installed package from its build); `.venv/` lives there. */
export const REPO_ROOT = packageRoot().dir;

export interface VenvPaths {
  dir: string;
  python: string;
  /** Written last by a successful install; its content is the requirement, so a version bump reinstalls. */
  marker: string;
}

export function venvPaths(dir = path.join(REPO_ROOT, '.venv')): VenvPaths {
  const bin = process.platform === 'win32' ? path.join(dir, 'Scripts', 'python.exe') : path.join(dir, 'bin', 'python');
  return { dir, python: bin, marker: path.join(dir, '.firedrill-moto') };
}

export interface VenvStatus {
  paths: VenvPaths;
  /** True when the pinned moto is installed (the marker matches). */
  ready: boolean;
  /** What the marker says is installed, if anything. */
  installed: string | undefined;
}

export async function venvStatus(dir?: string): Promise<VenvStatus> {
  const paths = venvPaths(dir);
  let installed: string | undefined;
  try {
    installed = (await readFile(paths.marker, 'utf8')).trim();
  } catch {
    installed = undefined;
  }
  return { paths, ready: installed === MOTO_REQUIREMENT && existsSync(paths.python), installed };
}

export interface EnsureVenvOptions {
  dir?: string;
  /** The interpreter that creates the venv (default `python3`, or FIREDRILL_PYTHON). */
  python?: string;
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
}

const PYTHON_FIX =
  'install Python 3.9 or newer with its venv module (Debian/Ubuntu: `apt-get install -y python3 python3-venv`; macOS: `brew install python`), ' +
  'or set FIREDRILL_PYTHON to an interpreter, or point FIREDRILL_ENDPOINT at a running moto/LocalStack';

/**
 * Creates `.venv` and installs the pinned moto server. Idempotent: when the marker says the pinned version
 * is there, it returns at once without starting Python.
 */
export async function ensureVenv(opts: EnsureVenvOptions = {}): Promise<VenvStatus> {
  const status = await venvStatus(opts.dir);
  if (status.ready) return status;
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const python = opts.python ?? process.env.FIREDRILL_PYTHON ?? 'python3';
  const { paths } = status;

  const version = await run(python, ['-c', 'import sys, venv; print("%d.%d" % sys.version_info[:2])']).catch((err: unknown) => {
    throw new EmulatorSetupError(`cannot run ${python} to create the moto environment`, {
      expected: `a Python 3 interpreter with the venv module on PATH as ${python}`,
      seen: err instanceof Error ? err.message : String(err),
      fix: PYTHON_FIX,
      cause: err,
    });
  });
  const [major, minor] = version.trim().split('.').map(Number);
  if (major !== 3 || (minor ?? 0) < 9) {
    throw new EmulatorSetupError(`${python} is Python ${version.trim()}, too old for moto ${MOTO_VERSION}`, {
      expected: 'Python 3.9 or newer',
      seen: `Python ${version.trim()}`,
      fix: PYTHON_FIX,
    });
  }

  log(`firedrill setup: creating ${paths.dir} and installing ${MOTO_REQUIREMENT} (once; about 30 s)`);
  // A half-made venv (interrupted install) is rebuilt rather than patched.
  if (existsSync(paths.dir) && !existsSync(paths.python)) await rm(paths.dir, { recursive: true, force: true });
  await mkdir(path.dirname(paths.dir), { recursive: true });
  if (!existsSync(paths.python)) {
    await run(python, ['-m', 'venv', paths.dir]).catch((err: unknown) => {
      throw new EmulatorSetupError(`could not create the virtual environment ${paths.dir}`, {
        expected: `\`${python} -m venv ${paths.dir}\` to succeed`,
        seen: err instanceof Error ? err.message : String(err),
        fix: 'Debian/Ubuntu: `apt-get install -y python3-venv`; then run `npm run setup` again',
        cause: err,
      });
    });
  }
  await run(paths.python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', MOTO_REQUIREMENT]).catch((err: unknown) => {
    throw new EmulatorSetupError(`could not install ${MOTO_REQUIREMENT} into ${paths.dir}`, {
      expected: 'pip to install moto from PyPI',
      seen: err instanceof Error ? err.message : String(err),
      fix: 'check network access to PyPI (or a pip index configured in pip.conf), then run `npm run setup` again',
      cause: err,
    });
  });
  // Proves the server extras import, so a broken install is caught here and not at first start.
  await run(paths.python, ['-c', 'import moto, moto.server, werkzeug; print(moto.__version__)']).then((v) => {
    if (v.trim() !== MOTO_VERSION) {
      throw new EmulatorSetupError('moto installed with an unexpected version', { expected: MOTO_VERSION, seen: v.trim(), fix: `rm -rf ${paths.dir} && npm run setup` });
    }
  });
  await writeFile(paths.marker, `${MOTO_REQUIREMENT}\n`);
  log(`firedrill setup: ${MOTO_REQUIREMENT} ready in ${paths.dir}`);
  return venvStatus(opts.dir);
}
