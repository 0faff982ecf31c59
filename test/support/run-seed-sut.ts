import { fileURLToPath } from 'node:url';
import { createAwsClients, type AwsClients } from '../../core/aws/index.ts';
import { resetEmulatorAt } from '../../emulator/index.ts';
import { openTaps, type Observation, type TapSet } from '../../harness/observe/index.ts';
import { loadSutFile, prepareSut, type PreparedSut } from '../../harness/sut/index.ts';
import { functionLogShipper, startRuntime, type HandlerLogLine, type LocalRuntime } from '../../runtime/index.ts';

/** The SUT file of a seed example (`seed-000` …). */
export function seedSutFile(seed: string): string {
  return fileURLToPath(new URL(`../../examples/seeds/${seed}/firedrill.sut.yaml`, import.meta.url));
}

/** A seed SUT running on the emulator: its resources, its handlers in the local runtime, its taps open. */
export interface RunningSeed extends AsyncDisposable {
  clients: AwsClients;
  prepared: PreparedSut;
  runtime: LocalRuntime;
  taps: TapSet;
  lines: HandlerLogLine[];
  /** Waits for the handlers to drain their sources, ships their prints, and polls the taps. */
  settle(): Promise<Observation[]>;
}

/**
 * Starts one seed SUT as a drill would (a clean emulator, the SUT's resources and setup hook, its Python handlers
 * in the runtime, their prints shipped to `/aws/lambda/<name>`, the taps opened before anything is delivered),
 * for tests that deliver by hand and tick its schedules on event time.
 */
export async function startSeed(seed: string, endpoint: string, eventTimeStartMs: number, file = seedSutFile(seed)): Promise<RunningSeed> {
  await resetEmulatorAt(endpoint);
  const clients = createAwsClients({ endpoint, region: 'us-east-1' });
  const prepared = await prepareSut({ sut: await loadSutFile(file), clients, prefix: 'firedrill', env: {} });
  const lines: HandlerLogLine[] = [];
  const shipper = functionLogShipper({ clients, next: (l) => lines.push(l) });
  const runtime = await startRuntime({ clients, account: prepared.account, sut: prepared.spec.name, handlers: prepared.spec.handlers, eventTimeStartMs, onLog: shipper.onLog }).catch(async (err: unknown) => {
    await shipper.close();
    clients.destroy();
    throw err;
  });
  const taps = await openTaps(prepared.spec.findings, { clients, account: prepared.account, from: 'new' });
  const stop = async () => {
    await runtime.stop();
    await shipper.close();
    await taps.close();
    clients.destroy();
  };
  return {
    clients,
    prepared,
    runtime,
    taps,
    lines,
    async settle() {
      await runtime.idle({ timeoutMs: 300_000 });
      await shipper.flush();
      return taps.poll();
    },
    [Symbol.asyncDispose]: stop,
  };
}
