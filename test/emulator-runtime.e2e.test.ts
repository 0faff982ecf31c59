import { spawn } from 'node:child_process';
import net from 'node:net';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { pollUntil } from '../core/poll-until.ts';
import { EmulatorUnavailableError, REPO_ROOT, startEmulator, type EmulatorHandle } from '../emulator/index.ts';
import { createAwsClients, EndpointUnreachableError } from '../core/aws/index.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const started: EmulatorHandle[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((h) => h.stop()));
});

describe('emulator runtime', () => {
  it('with no strategy available, throws EmulatorUnavailableError naming each strategy, its reason and fix — quickly', async () => {
    const savedDockerHost = process.env.DOCKER_HOST;
    // A Docker endpoint where nothing listens, so the container strategy fails even on a machine with Docker.
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    process.env.DOCKER_HOST = `tcp://127.0.0.1:${closed}`;
    const t0 = Date.now();
    try {
      const err = await startEmulator({ env: {}, venvDir: '/nonexistent/firedrill-venv', setup: false }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(EmulatorUnavailableError);
      const e = err as EmulatorUnavailableError & { failures: { strategy: string; reason: string; fix: string }[] };
      expect(e.failures.map((f) => f.strategy)).toEqual(['endpoint', 'moto', 'container']);
      expect(e.message).toMatch(/endpoint: FIREDRILL_ENDPOINT and AWS_ENDPOINT_URL are not set/);
      expect(e.message).toMatch(/moto: moto 5\.2\.5 is not installed in \/nonexistent\/firedrill-venv/);
      expect(e.message).toMatch(/container: /);
      expect(e.message).toMatch(/npm run setup/);
      for (const f of e.failures) expect(f.fix.length).toBeGreaterThan(10);
      expect(Date.now() - t0).toBeLessThan(20_000);
    } finally {
      if (savedDockerHost === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = savedDockerHost;
    }
  });

  it('an endpoint given in FIREDRILL_ENDPOINT that does not answer is reported with its address', async () => {
    const err = await startEmulator({ strategies: ['endpoint'], env: { FIREDRILL_ENDPOINT: 'http://127.0.0.1:9' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmulatorUnavailableError);
    expect((err as Error).message).toMatch(/nothing answers at http:\/\/127\.0\.0\.1:9/);
  });

  it('when the preferred port is taken, starts moto on another free port', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const emu = await startEmulator({ strategies: ['moto'], port: taken });
      started.push(emu);
      expect(emu.kind).toBe('moto');
      expect(new URL(emu.endpoint).port).not.toBe(String(taken));
      const clients = createAwsClients({ endpoint: emu.endpoint });
      await expect(clients.s3.send(new ListBucketsCommand({}))).resolves.toBeTruthy();
      clients.destroy();
    } finally {
      blocker.close();
    }
  });

  it('when the emulator is killed mid-test, the next call fails within seconds with EndpointUnreachableError, and no process is left', async () => {
    const emu = await startEmulator({ strategies: ['moto'] });
    started.push(emu);
    const pid = emu.pid!;
    const clients = createAwsClients({ endpoint: emu.endpoint });
    await clients.s3.send(new ListBucketsCommand({}));
    process.kill(pid, 'SIGKILL');
    const t0 = Date.now();
    const err = await clients.s3.send(new ListBucketsCommand({})).catch((e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(err).toBeInstanceOf(EndpointUnreachableError);
    expect((err as Error).message).toMatch(new RegExp(`s3:ListBuckets could not reach ${emu.endpoint}`));
    expect((err as Error).message).toMatch(/emulator stopped or was killed/);
    expect(clients.ledger.entries({ command: 'ListBuckets', outcome: 'error' })).toHaveLength(1);
    clients.destroy();
    await emu.stop();
    await pollUntil(() => !alive(pid), { timeoutMs: 5_000, what: `moto pid ${pid} to be gone` });
  });

  it('reset() wipes every resource', async () => {
    const emu = await startEmulator({ strategies: ['moto'] });
    started.push(emu);
    const clients = createAwsClients({ endpoint: emu.endpoint });
    const { CreateBucketCommand } = await import('@aws-sdk/client-s3');
    await clients.s3.send(new CreateBucketCommand({ Bucket: 'reset-me' }));
    await emu.reset();
    expect((await clients.s3.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
    clients.destroy();
  });

  it("frees what moto deleted: a deleted log stream's events leave moto's own list of its instances (it kept them until a reset)", async () => {
    const emu = await startEmulator({ strategies: ['moto'] });
    started.push(emu);
    const clients = createAwsClients({ endpoint: emu.endpoint });
    const { CreateLogGroupCommand, CreateLogStreamCommand, DeleteLogStreamCommand, PutLogEventsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
    const logEvents = async () => ((await (await fetch(`${emu.endpoint}/moto-api/data.json`)).json()) as { logs?: { LogEvent?: unknown[] } }).logs?.LogEvent?.length ?? 0;
    await clients.logs.send(new CreateLogGroupCommand({ logGroupName: 'held' }));
    await clients.logs.send(new CreateLogStreamCommand({ logGroupName: 'held', logStreamName: 's' }));
    await clients.logs.send(new PutLogEventsCommand({ logGroupName: 'held', logStreamName: 's', logEvents: Array.from({ length: 200 }, (_, i) => ({ timestamp: Date.now() - 1_000 + i, message: `m${i}` })) }));
    // What moto still holds is still listed (its dashboard and its reset see the live resources)...
    expect(await logEvents()).toBe(200);
    await clients.logs.send(new DeleteLogStreamCommand({ logGroupName: 'held', logStreamName: 's' }));
    // ...and what it deleted is gone from memory, where moto 5.2.5 alone keeps every instance it ever made.
    expect(await logEvents()).toBe(0);
    clients.destroy();
  });

  it('stops the moto server when the Node process that started it is SIGKILLed (no orphan)', async () => {
    // A separate Node process starts an emulator, prints the server pid, then waits to be killed.
    const script = [
      `const { startEmulator } = await import(${JSON.stringify(new URL('../emulator/start-emulator.ts', import.meta.url).href)});`,
      `const emu = await startEmulator({ strategies: ['moto'] });`,
      `process.stdout.write(String(emu.pid) + '\\n');`,
      `setInterval(() => {}, 1000);`,
    ].join('\n');
    const holder = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let errOut = '';
    holder.stdout.on('data', (d: Buffer) => (out += d.toString()));
    holder.stderr.on('data', (d: Buffer) => (errOut += d.toString()));
    try {
      const motoPid = await pollUntil(() => (/^(\d+)\n/.exec(out)?.[1] ? Number(/^(\d+)\n/.exec(out)![1]) : undefined), {
        timeoutMs: 60_000,
        what: `the holder process to print the moto pid (stderr: ${errOut.slice(-300)})`,
      });
      expect(alive(motoPid)).toBe(true);
      holder.kill('SIGKILL');
      await pollUntil(() => !alive(motoPid), { timeoutMs: 10_000, what: `moto pid ${motoPid} to exit after its parent was killed` });
    } finally {
      holder.kill('SIGKILL');
    }
  });

  /** A Node process that starts moto and prints its pid; `handler` is code run on SIGINT, if any. */
  function holdEmulator(handler?: string) {
    const script = [
      `const { startEmulator } = await import(${JSON.stringify(new URL('../emulator/start-emulator.ts', import.meta.url).href)});`,
      `const emu = await startEmulator({ strategies: ['moto'] });`,
      ...(handler ? [`process.once('SIGINT', async () => { ${handler} });`] : []),
      `process.stdout.write(String(emu.pid) + '\\n');`,
      `setInterval(() => {}, 1000);`,
    ].join('\n');
    const holder = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    holder.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | string | null>((resolve) => holder.once('exit', (code, signal) => resolve(code ?? signal)));
    const motoPid = () => pollUntil(() => (/^(\d+)\n/.exec(out)?.[1] ? Number(/^(\d+)\n/.exec(out)![1]) : undefined), { timeoutMs: 60_000, what: 'the holder process to print the moto pid' });
    return { holder, exited, motoPid };
  }

  it('SIGINT with no handler of its own: the process dies by it and takes moto along', async () => {
    const { holder, exited, motoPid } = holdEmulator();
    try {
      const pid = await motoPid();
      holder.kill('SIGINT');
      expect(await exited).toBe('SIGINT');
      await pollUntil(() => !alive(pid), { timeoutMs: 10_000, what: `moto pid ${pid} to exit` });
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('SIGINT handled by the command (load finishing its tick): moto keeps serving until the command stops it', async () => {
    // The handler works for a second, as `load` finishes a tick, then stops the emulator and exits.
    const { holder, exited, motoPid } = holdEmulator(`await new Promise((r) => setTimeout(r, 1500)); await emu.stop(); process.exit(0);`);
    try {
      const pid = await motoPid();
      holder.kill('SIGINT');
      await new Promise((r) => setTimeout(r, 700));
      expect(alive(pid)).toBe(true);
      expect(await exited).toBe(0);
      await pollUntil(() => !alive(pid), { timeoutMs: 10_000, what: `moto pid ${pid} to exit` });
    } finally {
      holder.kill('SIGKILL');
    }
  });
});
