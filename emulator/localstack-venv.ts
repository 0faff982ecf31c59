import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorMessage } from '../core/index.ts';
import { EmulatorSetupError } from './errors.ts';
import { runCommand } from './run-command.ts';
import { REPO_ROOT } from './venv.ts';

/**
 * LocalStack from PyPI, run on the host: `localstack-core` 2026.3.0 is the release that starts without an auth
 * token, and it runs on Python 3.13 only (3.11 and 3.12 fail). Its dependencies come from a lock file with
 * hashes (`localstack-python/requirements.lock`): unpinned, a fresh install picks releases made after it that
 * break it (cbor2 6, pyOpenSSL 26.x).
 */
export const LOCALSTACK_VERSION = '2026.3.0';
export const LOCALSTACK_REQUIREMENT = `localstack-core==${LOCALSTACK_VERSION}`;

const PYTHON_DIR = fileURLToPath(new URL('./localstack-python/', import.meta.url));
export const LOCALSTACK_LOCK_FILE = path.join(PYTHON_DIR, 'requirements.lock');
const PLUGIN_MODULE = 'firedrill_localstack';
const PLUGIN_FILE = path.join(PYTHON_DIR, `${PLUGIN_MODULE}.py`);
/** The entry point LocalStack's plugin manager finds the DynamoDB provider by (see firedrill_localstack.py). */
export const DYNAMODB_PROVIDER = 'firedrill_moto';

export interface LocalStackVenvPaths {
  dir: string;
  python: string;
  /** Written last by a successful install; holds the requirement and a hash of the lock and plugin files. */
  marker: string;
}

/** `.firedrill/` is the project's ignored working folder; the venv is about 500 MB. */
export function localStackVenvPaths(dir = path.join(REPO_ROOT, '.firedrill', 'localstack', 'venv')): LocalStackVenvPaths {
  const python = process.platform === 'win32' ? path.join(dir, 'Scripts', 'python.exe') : path.join(dir, 'bin', 'python');
  return { dir, python, marker: path.join(dir, '.firedrill-localstack') };
}

async function expectedMarker(): Promise<string> {
  const h = createHash('sha256');
  h.update(await readFile(LOCALSTACK_LOCK_FILE));
  h.update(await readFile(PLUGIN_FILE));
  return `${LOCALSTACK_REQUIREMENT} ${h.digest('hex').slice(0, 16)}`;
}

export interface LocalStackVenvStatus {
  paths: LocalStackVenvPaths;
  /** True when the locked LocalStack and firedrill's plugin are installed (the marker matches). */
  ready: boolean;
  installed: string | undefined;
}

export async function localStackVenvStatus(dir?: string): Promise<LocalStackVenvStatus> {
  const paths = localStackVenvPaths(dir);
  const installed = await readFile(paths.marker, 'utf8').then((s) => s.trim(), () => undefined);
  return { paths, ready: installed !== undefined && installed === (await expectedMarker()) && existsSync(paths.python), installed };
}

export interface FoundPython {
  python: string;
  version: string;
  /** Where it was found (`FIREDRILL_PYTHON313`, `PATH`, `pyenv`). */
  source: string;
}

const PYTHON313_FIX =
  'install Python 3.13 (pyenv: `pyenv install 3.13`; macOS: `brew install python@3.13`; or a distribution package where one exists), ' +
  'or set FIREDRILL_PYTHON313 to a Python 3.13 interpreter';

/** The interpreter's version when it is a working Python 3.13 with venv, else an error saying what it is. */
async function probePython(python: string, env: NodeJS.ProcessEnv): Promise<string> {
  const out = await runCommand(python, ['-c', 'import sys, venv; print("%d.%d.%d" % sys.version_info[:3])'], { env, timeoutMs: 20_000 });
  const version = out.trim();
  if (!/^3\.13\./.test(version)) throw new Error(`is Python ${version}, not 3.13`);
  return version;
}

async function pyenvRoot(env: NodeJS.ProcessEnv): Promise<string> {
  const fromCommand = await runCommand('pyenv', ['root'], { env, timeoutMs: 10_000 }).then((s) => s.trim(), () => '');
  return fromCommand || env.PYENV_ROOT || path.join(homedir(), '.pyenv');
}

/**
 * Finds a Python 3.13: FIREDRILL_PYTHON313 when set (and then only it), else `python3.13` on PATH, else the newest
 * 3.13 pyenv has installed (a pyenv shim on PATH fails unless 3.13 is selected, so its versions are read directly).
 * Throws an EmulatorSetupError listing every place looked at and what was there.
 */
export async function findPython313(env: NodeJS.ProcessEnv = process.env): Promise<FoundPython> {
  const tried: string[] = [];
  const attempt = async (python: string, source: string): Promise<FoundPython | undefined> => {
    try {
      return { python, version: await probePython(python, env), source };
    } catch (err) {
      tried.push(`${source} (${python}): ${errorMessage(err).split('\n')[0]}`);
      return undefined;
    }
  };
  const given = env.FIREDRILL_PYTHON313;
  if (given) {
    const found = await attempt(given, 'FIREDRILL_PYTHON313');
    if (found) return found;
    throw missingPython(tried);
  }
  tried.push('FIREDRILL_PYTHON313: not set');
  const onPath = await attempt('python3.13', 'PATH');
  if (onPath) return onPath;
  const root = await pyenvRoot(env);
  const versions = await readdir(path.join(root, 'versions')).catch(() => [] as string[]);
  const candidates = versions
    .filter((v) => /^3\.13(\.\d+)?$/.test(v))
    .sort((a, b) => Number(b.split('.')[2] ?? 0) - Number(a.split('.')[2] ?? 0));
  if (candidates.length === 0) tried.push(`pyenv (${path.join(root, 'versions')}): no 3.13 installed${versions.length ? ` (has ${versions.join(', ')})` : ''}`);
  for (const v of candidates) {
    const found = await attempt(path.join(root, 'versions', v, 'bin', 'python3.13'), 'pyenv');
    if (found) return found;
  }
  throw missingPython(tried);
}

function missingPython(tried: string[]): EmulatorSetupError {
  return new EmulatorSetupError('no Python 3.13 interpreter for LocalStack', {
    expected: `Python 3.13 with its venv module (${LOCALSTACK_REQUIREMENT} runs on 3.13 only; it fails on 3.11 and 3.12)`,
    seen: tried.map((t) => `\n    - ${t}`).join(''),
    fix: PYTHON313_FIX,
  });
}

export interface EnsureLocalStackVenvOptions {
  dir?: string;
  env?: NodeJS.ProcessEnv;
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
}

/**
 * Creates LocalStack's venv from the lock file (hashes required, no resolution) and installs firedrill's plugin
 * module into it. Idempotent: when the marker matches, it returns at once without starting Python.
 */
export async function ensureLocalStackVenv(opts: EnsureLocalStackVenvOptions = {}): Promise<LocalStackVenvStatus> {
  const status = await localStackVenvStatus(opts.dir);
  if (status.ready) return status;
  const env = opts.env ?? process.env;
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const { paths } = status;
  const found = await findPython313(env);

  log(`firedrill setup: installing ${LOCALSTACK_REQUIREMENT} from its lock file into ${paths.dir} with Python ${found.version} (${found.source}; once; about a minute, 500 MB)`);
  // A venv from another interpreter or an interrupted install is rebuilt rather than patched.
  await rm(paths.dir, { recursive: true, force: true });
  await mkdir(path.dirname(paths.dir), { recursive: true });
  const step = async (what: string, fix: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (err) {
      throw new EmulatorSetupError(`could not ${what}`, { expected: `${what} to succeed`, seen: errorMessage(err), fix, cause: err });
    }
  };
  await step(`create the virtual environment ${paths.dir}`, 'check that the Python 3.13 has its venv module (Debian: the python3.13-venv package)', () =>
    runCommand(found.python, ['-m', 'venv', paths.dir], { env }),
  );
  await step(
    `install ${LOCALSTACK_REQUIREMENT} and its locked dependencies`,
    'check network access to PyPI (or a pip index configured in pip.conf), then run `npm run setup` again',
    () => runCommand(paths.python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--require-hashes', '--no-deps', '-r', LOCALSTACK_LOCK_FILE], { env }),
  );
  await step('install firedrill\'s LocalStack plugin', `rm -rf ${paths.dir} && npm run setup`, () => installPlugin(paths.python, env));
  // Proves the runtime imports (the failure a wrong cbor2 causes shows only here, not at install).
  await step('import the LocalStack runtime', `rm -rf ${paths.dir} && npm run setup`, async () => {
    const v = (await runCommand(paths.python, ['-c', `import localstack.aws.components, ${PLUGIN_MODULE}; from localstack.version import __version__; print(__version__)`], { env })).trim();
    if (v !== LOCALSTACK_VERSION) throw new Error(`localstack-core ${v} is installed, expected ${LOCALSTACK_VERSION}`);
  });
  await writeFile(paths.marker, `${await expectedMarker()}\n`);
  log(`firedrill setup: ${LOCALSTACK_REQUIREMENT} ready in ${paths.dir}`);
  return localStackVenvStatus(opts.dir);
}

/**
 * Copies the plugin module into site-packages with a minimal dist-info, which is all LocalStack's plugin manager
 * (entry points through importlib.metadata) needs: no build backend, nothing fetched.
 */
async function installPlugin(python: string, env: NodeJS.ProcessEnv): Promise<void> {
  const purelib = (await runCommand(python, ['-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'], { env })).trim();
  const distInfo = path.join(purelib, `${PLUGIN_MODULE}-0.dist-info`);
  await mkdir(distInfo, { recursive: true });
  await copyFile(PLUGIN_FILE, path.join(purelib, `${PLUGIN_MODULE}.py`));
  await writeFile(path.join(distInfo, 'METADATA'), `Metadata-Version: 2.1\nName: ${PLUGIN_MODULE}\nVersion: 0\n`);
  await writeFile(path.join(distInfo, 'entry_points.txt'), `[localstack.aws.provider]\ndynamodb:${DYNAMODB_PROVIDER} = ${PLUGIN_MODULE}:dynamodb_moto\n`);
  await writeFile(path.join(distInfo, 'INSTALLER'), 'firedrill\n');
  await writeFile(path.join(distInfo, 'RECORD'), `${PLUGIN_MODULE}.py,,\n${PLUGIN_MODULE}-0.dist-info/METADATA,,\n${PLUGIN_MODULE}-0.dist-info/entry_points.txt,,\n${PLUGIN_MODULE}-0.dist-info/INSTALLER,,\n${PLUGIN_MODULE}-0.dist-info/RECORD,,\n`);
}
