import { ConfigError } from '../../../core/index.ts';
import type { InvocationRecord } from '../../../runtime/index.ts';
import { BaseTap } from './base-tap.ts';
import type { HandlerReturn, RawFinding } from '../types.ts';

/**
 * A handler's return values, from the local runtime (local mode only). A returned list gives one finding per
 * element; nothing (null, undefined) gives none. arrivedAt is when the invocation returned.
 */
export class ReturnsTap extends BaseTap {
  protected override readonly stateful = false;
  private buffer: RawFinding[] = [];
  private iterator?: AsyncIterator<HandlerReturn>;
  private pump?: Promise<void>;
  private seq = 0;
  private closed = false;

  private get handler() {
    return (this.spec.source as { type: 'returns'; handler: string }).handler;
  }

  protected async start(): Promise<void> {
    if (!this.ctx.returns) {
      throw new ConfigError(`tap ${this.spec.name}: no handler return values to read`, { expected: 'a local runtime running the handler (mode: local)', seen: 'none', fix: 'use a returns tap only with mode: local and the handler declared under handlers' });
    }
    const it = this.ctx.returns[Symbol.asyncIterator]();
    this.iterator = it;
    this.pump = (async () => {
      for (let r = await it.next(); !r.done && !this.closed; r = await it.next()) {
        const v = r.value;
        if (v.handler !== this.handler || v.value === null || v.value === undefined) continue;
        const n = ++this.seq;
        const values = Array.isArray(v.value) ? v.value : [v.value];
        values.forEach((raw, i) => this.buffer.push({ id: values.length === 1 && !Array.isArray(v.value) ? `${this.handler}#${n}` : `${this.handler}#${n}.${i + 1}`, raw, arrivedAt: v.at }));
      }
    })();
  }

  protected async read(): Promise<RawFinding[]> {
    // Let invocations that just ended reach the buffer.
    await new Promise<void>((r) => setImmediate(r));
    const out = this.buffer;
    this.buffer = [];
    return out;
  }

  protected async stop(): Promise<void> {
    // Not awaited: an iterator waiting for the next invocation may only settle at the runtime's stop.
    this.closed = true;
    void this.iterator?.return?.()?.catch(() => {});
    this.pump?.catch(() => {});
  }
}

/** The local runtime's invocation records (LocalRuntime.invocations()) as handler return values: those that returned. */
export async function* handlerReturns(invocations: AsyncIterable<Pick<InvocationRecord, 'handler' | 'startedAt' | 'durationMs' | 'outcome' | 'result'>>): AsyncIterable<HandlerReturn> {
  for await (const r of invocations) if (r.outcome === 'ok') yield { handler: r.handler, at: r.startedAt + r.durationMs, value: r.result };
}
