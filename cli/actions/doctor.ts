import { spawnSync } from 'node:child_process';
import { errorMessage } from '../../core/index.ts';
import { findPython313, localStackVenvStatus, LOCALSTACK_REQUIREMENT, MOTO_REQUIREMENT, probeEndpoint, venvStatus } from '../../emulator/index.ts';

export interface DoctorCheck {
  name: string;
  ok: boolean;
  /** A failed optional check does not make the doctor fail (e.g. Docker when moto works). */
  required: boolean;
  detail: string;
  fix?: string;
}

const MIN_NODE = [20, 19] as const;

/** Everything firedrill needs on this machine, each with the fix when it is missing. */
export async function runDoctor(env: NodeJS.ProcessEnv = process.env): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  checks.push({
    name: 'node',
    ok: major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]),
    required: true,
    detail: `Node ${process.versions.node}`,
    fix: `install Node ${MIN_NODE.join('.')} or newer (https://nodejs.org, or nvm install 20)`,
  });

  const python = env.FIREDRILL_PYTHON ?? 'python3';
  const py = spawnSync(python, ['-c', 'import sys, venv; print(sys.version.split()[0])'], { encoding: 'utf8', timeout: 10_000 });
  const pyOk = py.status === 0;
  checks.push({
    name: 'python3',
    ok: pyOk,
    required: false,
    detail: pyOk ? `${python} ${py.stdout.trim()} with venv` : `${python} not usable: ${(py.error?.message ?? py.stderr ?? '').trim().split('\n').pop()}`,
    fix: 'Debian/Ubuntu: apt-get install -y python3 python3-venv; macOS: brew install python (needed for the embedded moto server)',
  });

  const venv = await venvStatus();
  checks.push({
    name: 'moto (.venv)',
    ok: venv.ready,
    required: false,
    detail: venv.ready ? `${venv.installed} in ${venv.paths.dir}` : `not installed in ${venv.paths.dir}${venv.installed ? ` (found ${venv.installed})` : ''}`,
    fix: 'npm run setup',
  });

  // Optional: only `--target localstack` without an endpoint or Docker needs it.
  const ls = await localStackVenvStatus();
  const py313 = ls.ready ? undefined : await findPython313(env).then((f) => `${f.python} (${f.source}, ${f.version})`, (err: unknown) => err as Error);
  checks.push({
    name: 'localstack',
    ok: ls.ready || typeof py313 === 'string',
    required: false,
    detail: ls.ready
      ? `${LOCALSTACK_REQUIREMENT} in ${ls.paths.dir}`
      : typeof py313 === 'string'
        ? `not installed yet; Python 3.13 found at ${py313}: \`npm run setup\` or the first --target localstack installs it`
        : `no Python 3.13 for ${LOCALSTACK_REQUIREMENT}: ${errorMessage(py313).split('\n').slice(1).join(' ').replace(/\s+/g, ' ').trim()}`,
    fix: typeof py313 === 'string' ? 'npm run setup' : 'only for --target localstack without Docker: install Python 3.13 (pyenv install 3.13) or set FIREDRILL_PYTHON313',
  });

  let dockerOk = false;
  let dockerDetail: string;
  try {
    const tc = await import('testcontainers');
    const client = await Promise.race([
      tc.getContainerRuntimeClient(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer within 10 s')), 10_000).unref()),
    ]);
    dockerOk = true;
    dockerDetail = `${client.info.containerRuntime.host} (${client.info.containerRuntime.operatingSystem}, server ${client.info.containerRuntime.serverVersion})`;
  } catch (err) {
    dockerDetail = `not reachable: ${errorMessage(err)}`;
  }
  checks.push({ name: 'docker engine', ok: dockerOk, required: false, detail: dockerDetail, fix: 'only needed for the container strategy or `docker compose up`: start Docker, or set DOCKER_HOST' });

  const given = env.FIREDRILL_ENDPOINT || env.AWS_ENDPOINT_URL;
  let endpointOk = false;
  if (given) {
    try {
      const probe = await probeEndpoint(given);
      endpointOk = true;
      checks.push({ name: 'endpoint', ok: true, required: false, detail: `${given}: ${probe.flavor} (${probe.detail.slice(0, 80)})` });
    } catch (err) {
      checks.push({ name: 'endpoint', ok: false, required: false, detail: `${given} does not answer: ${errorMessage(err)}`, fix: 'start the emulator there, or unset FIREDRILL_ENDPOINT/AWS_ENDPOINT_URL so firedrill starts moto itself' });
    }
  } else {
    checks.push({ name: 'endpoint', ok: true, required: false, detail: 'none given: firedrill starts moto from .venv on a free loopback port' });
  }

  // At least one way to get an emulator must work; which one is the user's choice.
  const anyEmulator = endpointOk || venv.ready || pyOk || dockerOk;
  checks.push({
    name: 'emulator',
    ok: anyEmulator,
    required: true,
    detail: endpointOk ? `endpoint ${given}` : venv.ready ? `moto server ${MOTO_REQUIREMENT} from .venv` : pyOk ? `moto will be installed into .venv on first use` : dockerOk ? 'moto container via Docker' : 'no way to run an AWS emulator',
    fix: 'install python3 (+ venv) and run `npm run setup`, or start Docker, or set FIREDRILL_ENDPOINT',
  });
  return checks;
}

/** Prints the checks (or their JSON); exit code 1 when a required one fails. */
export async function doctorCommand(opts: { json?: boolean }): Promise<number> {
  const checks = await runDoctor();
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(checks, null, 2)}\n`);
  } else {
    for (const c of checks) {
      const mark = c.ok ? 'ok  ' : c.required ? 'FAIL' : 'warn';
      process.stdout.write(`${mark}  ${c.name.padEnd(14)} ${c.detail}\n`);
      if (!c.ok && c.fix) process.stdout.write(`      ${''.padEnd(14)} fix: ${c.fix}\n`);
    }
  }
  return checks.some((c) => c.required && !c.ok) ? 1 : 0;
}
