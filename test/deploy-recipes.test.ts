import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { listCatalog } from '../scenarios/index.ts';

/**
 * The container and CI recipes, read as files: no Docker engine or CI runner is needed (nor run) here, so these
 * tests hold the parts that break silently — which services a profile starts, where reports go, what waits for
 * what, what the image installs and who it runs as, and that every command names a drill that exists.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const read = (p: string) => readFileSync(join(root, p), 'utf8');

interface ComposeService {
  profiles?: string[];
  image?: string;
  build?: unknown;
  user?: string;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  command?: string[];
  healthcheck?: { test: string[] };
}
const compose = parse(read('docker-compose.yml')) as { services: Record<string, ComposeService> };
/** What `docker compose --profile <p> up` starts: services without a profile, and those of that profile. */
const startedBy = (profile: string) => Object.entries(compose.services).filter(([, s]) => !s.profiles || s.profiles.includes(profile)).map(([n]) => n);
const catalogIds = new Set(listCatalog().map((d) => d.id));

describe('docker-compose.yml', () => {
  it('runs each profile alone: LocalStack without moto, moto without LocalStack', () => {
    expect(startedBy('localstack').sort()).toEqual(['firedrill-localstack', 'localstack']);
    expect(startedBy('moto').sort()).toEqual(['firedrill', 'moto']);
    expect(startedBy('live').sort()).toEqual(['firedrill-live', 'moto']);
  });

  it('gives each drill its own report folder', () => {
    const mounts = ['firedrill', 'firedrill-localstack', 'firedrill-live'].map((n) => compose.services[n]!.volumes!.map((v) => v.split(':')[0]));
    expect(mounts).toEqual([['./reports/moto'], ['./reports/localstack'], ['./reports/live']]);
  });

  it('starts each drill once its emulator is healthy, and firedrill itself waits for readiness with a deadline', () => {
    for (const [drill, emulator] of [['firedrill', 'moto'], ['firedrill-localstack', 'localstack'], ['firedrill-live', 'moto']] as const) {
      expect(compose.services[emulator]!.healthcheck?.test.join(' ')).toMatch(emulator === 'localstack' ? /_localstack\/init\/ready/ : /moto-api/);
      expect(compose.services[drill]!.depends_on?.[emulator]?.condition).toBe('service_healthy');
      expect(compose.services[drill]!.environment?.FIREDRILL_ENDPOINT_WAIT).toMatch(/^\d+s$/);
      expect(compose.services[drill]!.environment?.FIREDRILL_ENDPOINT).toContain(`//${emulator}:`);
    }
  });

  it('runs a drill of the shipped catalog (the image has no scenarios/ folder of sources)', () => {
    for (const drill of ['firedrill', 'firedrill-localstack', 'firedrill-live']) {
      const cmd = compose.services[drill]!.command!;
      expect(cmd[0]).toBe('run');
      expect(catalogIds.has(cmd[1]!), cmd[1]).toBe(true);
    }
    expect(compose.services['firedrill-localstack']!.command).toContain('localstack');
    // The live profile serves the page from the container to the host (it stays up until Ctrl-C, so no --exit-code-from).
    expect(compose.services['firedrill-live']!.command).toEqual(expect.arrayContaining(['--serve', '8080', '--serve-host', '0.0.0.0']));
  });

  it('is documented with --exit-code-from, so the drill’s exit code is the command’s', () => {
    const readme = read('README.md');
    expect(readme).toContain('docker compose --profile moto up --exit-code-from firedrill');
    expect(readme).toContain('docker compose --profile localstack up --exit-code-from firedrill-localstack');
  });
});

describe('Dockerfile', () => {
  const text = read('Dockerfile');
  const stages = text.split(/^FROM /m).slice(1);
  const runtime = stages.at(-1)!;

  it('builds the package in a build stage and ships only production dependencies and dist/ in the image', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(stages[0]).toMatch(/RUN npm run build/);
    expect(runtime).toMatch(/npm ci --omit=dev/);
    expect(runtime).toMatch(/COPY --from=build \/src\/dist \.\/dist/);
    // Nothing from the build context beyond the manifests: no sources, tests or dev tooling.
    const copies = [...runtime.matchAll(/^COPY (?!--from)(.+)$/gm)].map((m) => m[1]!.trim());
    expect(copies).toEqual(['package.json package-lock.json .npmrc ./']);
  });

  it('runs the compiled CLI as a non-root user', () => {
    const users = [...runtime.matchAll(/^USER (\S+)/gm)].map((m) => m[1]);
    expect(users.length).toBe(1);
    expect(users[0]).not.toMatch(/^(root|0)(:|$)/);
    const pkg = JSON.parse(read('package.json')) as { bin: Record<string, string> };
    // The command itself (its sh launcher sets the CLI's memory settings), not `node <file>`, which would skip it.
    expect(runtime).toContain(`ENTRYPOINT ["/app/${pkg.bin.firedrill}"]`);
    const cmd = /^CMD \[(.+)\]$/m.exec(runtime)![1]!.split(',').map((s) => JSON.parse(s.trim()) as string);
    expect(cmd[0]).toBe('run');
    expect(catalogIds.has(cmd[1]!)).toBe(true);
  });
});

describe('CI examples (examples/ci)', () => {
  interface Step {
    uses?: string;
    run?: string;
    with?: Record<string, string>;
  }
  interface Job {
    services?: Record<string, { image: string; env?: Record<string, string>; options?: string }>;
    env?: Record<string, string>;
    steps: Step[];
  }
  const gha = parse(read('examples/ci/github-actions.yml')) as { jobs: Record<string, Job> };
  const gitlab = parse(read('examples/ci/gitlab-ci.yml')) as Record<string, { script?: string[]; services?: { name: string; alias: string }[]; variables?: Record<string, string>; extends?: string }>;
  const drillsIn = (command: string) => command.split(/\s+/).slice(command.split(/\s+/).indexOf('run') + 1).filter((w) => !w.startsWith('-') && !w.startsWith('reports/') && w !== 'localstack');

  it('GitHub Actions: a moto job and a LocalStack job, each with its emulator as a service, the token as a secret, junit.xml published', () => {
    expect(Object.keys(gha.jobs).sort()).toEqual(['localstack', 'moto']);
    expect(gha.jobs.localstack!.services!.localstack!.env!.LOCALSTACK_AUTH_TOKEN).toBe('${{ secrets.LOCALSTACK_AUTH_TOKEN }}');
    expect(gha.jobs.localstack!.services!.localstack!.options).toMatch(/--health-cmd/);
    for (const [name, job] of Object.entries(gha.jobs)) {
      const service = Object.values(job.services!)[0]!;
      expect(service.image, name).toMatch(name === 'moto' ? /^motoserver\/moto:/ : /^localstack\/localstack:/);
      expect(job.env!.FIREDRILL_ENDPOINT_WAIT, name).toMatch(/^\d+s$/);
      const drill = job.steps.find((s) => s.run?.startsWith('npx firedrill run'))!;
      const dir = /--report-dir (\S+)/.exec(drill.run!)![1]!;
      for (const id of drillsIn(drill.run!)) expect(catalogIds.has(id), id).toBe(true);
      const publish = job.steps.find((s) => s.uses?.startsWith('mikepenz/action-junit-report'))!;
      expect(publish.with!.report_paths).toBe(`${dir}/junit.xml`);
    }
  });

  it('GitLab CI: the same two drills, each reaching its service by alias, junit.xml as the test report', () => {
    const base = gitlab['.firedrill'] as unknown as { artifacts: { reports: { junit: string } } };
    expect(base.artifacts.reports.junit).toBe('reports/*/junit.xml');
    for (const name of ['firedrill-moto', 'firedrill-localstack']) {
      const job = gitlab[name]!;
      expect(job.extends).toBe('.firedrill');
      const alias = job.services![0]!.alias;
      expect(job.variables!.FIREDRILL_ENDPOINT).toContain(`//${alias}:`);
      const run = job.script!.find((s) => s.startsWith('npx firedrill run'))!;
      expect(run).toMatch(/--report-dir reports\/\w+/);
      for (const id of drillsIn(run)) expect(catalogIds.has(id), id).toBe(true);
    }
  });
});
