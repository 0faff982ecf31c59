import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ListClustersCommand } from '@aws-sdk/client-ecs';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClients } from '../core/aws/index.ts';
import { pollUntil } from '../core/index.ts';
import { detectCapabilities, findPython313, LOCALSTACK_VERSION, REPO_ROOT, startEmulator, type EmulatorHandle } from '../emulator/index.ts';
import { runDrills } from '../harness/drill/index.ts';
import { writeReports } from '../harness/reports/index.ts';

/**
 * LocalStack from PyPI on the host (no Docker): its own process, started and stopped here, not the run's shared
 * moto. Lean on purpose: one LocalStack for the file, two drills (one whose every expectation runs on the free
 * edition, one whose remediation needs WAFv2, which it lacks). Without a Python 3.13 the file skips, saying so.
 */
const python = await findPython313().catch((err: unknown) => err as Error);
const noPython = python instanceof Error ? python.message.split('\n').slice(0, 3).join(' ').replace(/\s+/g, ' ') : undefined;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(noPython !== undefined)(`LocalStack ${LOCALSTACK_VERSION} from PyPI on the host${noPython ? ` (skipped: ${noPython})` : ''}`, () => {
  let emulator: EmulatorHandle;

  beforeAll(async () => {
    // `npm run setup` installs LocalStack's venv ahead; on a machine where it did not, the first start does.
    emulator = await startEmulator({ strategies: ['localstack'] });
  }, 300_000);
  afterAll(async () => {
    await emulator?.stop();
  });

  it('says it lacks ECS, RDS, WAFv2 and EKS, and their APIs do refuse; the pipeline services answer', async () => {
    const caps = await detectCapabilities(emulator.endpoint);
    expect(caps.target).toBe(`LocalStack ${LOCALSTACK_VERSION} (community)`);
    expect(caps.missing.map((m) => m.service)).toEqual(['ecs', 'rds', 'wafv2', 'eks']);
    const clients = createAwsClients({ endpoint: emulator.endpoint, region: 'us-east-1' });
    try {
      // The matrix comes from LocalStack's health answer; the API agrees with it.
      await expect(clients.ecs.send(new ListClustersCommand({}))).rejects.toThrow();
      await expect(clients.s3.send(new PutObjectCommand({ Bucket: 'absent', Key: 'k', Body: 'x' }))).rejects.toMatchObject({ name: 'NoSuchBucket' });
    } finally {
      clients.destroy();
    }
  });

  it('runs a pipeline-side drill to a verified remediation, and reports the WAF remediation it cannot run as unsupported', async () => {
    const reportDir = await mkdtemp(path.join(tmpdir(), 'firedrill-localstack-'));
    try {
      // vpc-port-scan: VPC Flow logs through Logs → Firehose → S3 → SQS → normalizer → detector (findings in DynamoDB,
      // alerts on SNS) → dispatcher → Step Functions → a NACL entry read back through EC2. waf-sqli-scanner: WAF logs
      // through Firehose; its remediation needs a WAFv2 IP set.
      const cards = await runDrills([path.join(REPO_ROOT, 'scenarios', 'vpc-port-scan.yaml'), path.join(REPO_ROOT, 'scenarios', 'waf-sqli-scanner.yaml')], { target: 'localstack', endpoint: emulator.endpoint });
      const [scan, sqli] = cards;
      expect(scan!.failures).toEqual([]);
      expect(scan!.unsupported).toEqual([]);
      expect(scan!.incidents[0]!.remediation).toMatchObject({ executed: true, verified: true, expected: 1 });
      expect(scan!.ledger?.balanced).toBe(true);

      expect(sqli!.failures).toEqual([]);
      expect(sqli!.incidents[0]!.detected).toBe(true);
      expect(sqli!.unsupported).toEqual([expect.stringMatching(/^sqli: unsupported on this target: remediation waf-ip-blocked needs wafv2 \(not in LocalStack 2026\.3\.0's free edition/)]);
      expect(sqli!.target?.services.filter((s) => !s.supported).map((s) => s.service)).toEqual(['ecs', 'rds', 'wafv2', 'eks']);

      const paths = await writeReports(cards, reportDir);
      const junit = await readFile(paths.junit, 'utf8');
      expect(junit).toMatch(/<testcase classname="firedrill\.waf-sqli-scanner" name="sqli: remediation waf-ip-blocked" time="0">\n\s+<skipped message="unsupported on this target: remediation waf-ip-blocked needs wafv2/);
      expect(junit).toContain('failures="0" errors="0" skipped="1"');
    } finally {
      await rm(reportDir, { recursive: true, force: true });
    }
  }, 300_000);

  it('never outlives the Node process that started it, even SIGKILLed, nor leaves its folder behind on stop()', async () => {
    const script = [
      `const { startEmulator } = await import(${JSON.stringify(new URL('../emulator/start-emulator.ts', import.meta.url).href)});`,
      `const emu = await startEmulator({ strategies: ['localstack'] });`,
      `process.stdout.write(String(emu.pid) + '\\n');`,
      `setInterval(() => {}, 1000);`,
    ].join('\n');
    const holder = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    holder.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      const pid = await pollUntil(() => (/^(\d+)\n/.exec(out)?.[1] ? Number(/^(\d+)\n/.exec(out)![1]) : undefined), { timeoutMs: 90_000, what: 'the holder process to print the LocalStack pid' });
      expect(alive(pid)).toBe(true);
      holder.kill('SIGKILL');
      await pollUntil(() => !alive(pid), { timeoutMs: 10_000, what: `LocalStack pid ${pid} to exit after its parent was killed` });
    } finally {
      holder.kill('SIGKILL');
    }

    // The file's own LocalStack, in its last use here (a LocalStack start costs seconds): it keeps its folder until
    // stop(), resets (restarts) included, and stop() removes it. afterAll's stop() is then a no-op.
    const root = path.join(REPO_ROOT, '.firedrill', 'localstack', 'runs', `${process.pid}-${new URL(emulator.endpoint).port}`);
    expect(existsSync(root)).toBe(true);
    const pid = emulator.pid!;
    expect(alive(pid)).toBe(true);
    await emulator.stop();
    expect(alive(pid)).toBe(false);
    expect(existsSync(root)).toBe(false);
  }, 120_000);
});
