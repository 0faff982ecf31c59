import { randomBytes } from 'node:crypto';
import { errorMessage } from '../../core/index.ts';
import type { TapContext } from './tap-context.ts';
import type { Observation, Tap, TapSpec } from './types.ts';

/**
 * The tap for one spec of the SUT file. Each kind of tap is loaded when a SUT declares one: a tap module loads its
 * service's SDK package (Security Hub's alone is ~1.8 MB of heap), and a drill's process holds what it loaded to
 * its end, while most SUTs declare one or two kinds.
 */
export async function createTap(spec: TapSpec, ctx: TapContext): Promise<Tap> {
  switch (spec.source.type) {
    case 'dynamodb':
      return new (await import('./taps/dynamodb-tap.ts')).DynamoDbTap(spec, ctx);
    case 'sns':
      return new (await import('./taps/sns-tap.ts')).SnsTap(spec, ctx);
    case 'sqs':
      return new (await import('./taps/sqs-tap.ts')).SqsTap(spec, ctx);
    case 'eventbridge':
      return new (await import('./taps/eventbridge-tap.ts')).EventBridgeTap(spec, ctx);
    case 's3':
      return new (await import('./taps/s3-tap.ts')).S3Tap(spec, ctx);
    case 'logs':
      return new (await import('./taps/logs-tap.ts')).LogsTap(spec, ctx);
    case 'securityhub':
      return new (await import('./taps/securityhub-tap.ts')).SecurityHubTap(spec, ctx);
    case 'returns':
      return new (await import('./taps/returns-tap.ts')).ReturnsTap(spec, ctx);
  }
}

/** Every tap of a SUT, opened and closed together. */
export interface TapSet extends AsyncDisposable {
  readonly taps: readonly Tap[];
  /** What appeared (or changed) on any tap since the last poll. */
  poll(): Promise<Observation[]>;
  /** Removes what the taps added (queues, subscriptions, rules); every tap is closed even when one fails. */
  close(): Promise<void>;
}

/** A fresh run id for firedrill's own tap resources. */
export function newRunId(): string {
  return randomBytes(4).toString('hex');
}

/**
 * Opens every tap before delivery (a drill) or before reading a finished run (`firedrill score`). A tap that
 * cannot open closes the ones already opened and fails with its reason.
 */
export async function openTaps(specs: readonly TapSpec[], ctx: Omit<TapContext, 'runId'> & { runId?: string }): Promise<TapSet> {
  const full: TapContext = { ...ctx, runId: ctx.runId ?? newRunId() };
  const taps = await Promise.all(specs.map((s) => createTap(s, full)));
  const opened: Tap[] = [];
  const close = async () => {
    const errors: string[] = [];
    for (const t of opened.splice(0)) await t.close().catch((err: unknown) => errors.push(`${t.spec.name}: ${errorMessage(err)}`));
    if (errors.length) full.warn?.(`could not remove every tap resource: ${errors.join('; ')}`);
  };
  try {
    for (const t of taps) {
      await t.open();
      opened.push(t);
    }
  } catch (err) {
    await close();
    throw err;
  }
  return {
    taps,
    async poll() {
      const all = await Promise.all(taps.map((t) => t.poll()));
      return all.flat();
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
