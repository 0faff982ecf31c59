import { randomBytes } from 'node:crypto';
import { errorMessage } from '../../core/index.ts';
import type { TapContext } from './tap-context.ts';
import { DynamoDbTap } from './taps/dynamodb-tap.ts';
import { EventBridgeTap } from './taps/eventbridge-tap.ts';
import { LogsTap } from './taps/logs-tap.ts';
import { ReturnsTap } from './taps/returns-tap.ts';
import { S3Tap } from './taps/s3-tap.ts';
import { SecurityHubTap } from './taps/securityhub-tap.ts';
import { SnsTap } from './taps/sns-tap.ts';
import { SqsTap } from './taps/sqs-tap.ts';
import type { Observation, Tap, TapSpec } from './types.ts';

/** The tap for one spec of the SUT file. */
export function createTap(spec: TapSpec, ctx: TapContext): Tap {
  switch (spec.source.type) {
    case 'dynamodb':
      return new DynamoDbTap(spec, ctx);
    case 'sns':
      return new SnsTap(spec, ctx);
    case 'sqs':
      return new SqsTap(spec, ctx);
    case 'eventbridge':
      return new EventBridgeTap(spec, ctx);
    case 's3':
      return new S3Tap(spec, ctx);
    case 'logs':
      return new LogsTap(spec, ctx);
    case 'securityhub':
      return new SecurityHubTap(spec, ctx);
    case 'returns':
      return new ReturnsTap(spec, ctx);
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
  const taps = specs.map((s) => createTap(s, full));
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
