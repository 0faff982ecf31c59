import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { ConfigError } from '../../core/index.ts';
import type { Destination } from '../types.ts';

/** Anything with a message: GeneratedEvent and WireEvent both qualify. */
interface HasMessage {
  message: string;
}
interface Routed extends HasMessage {
  time: number;
  dest: Destination;
}

/** Native lines: the message as AWS writes it, nothing added. */
export function* toNativeLines(events: Iterable<HasMessage>): Generator<string, void, undefined> {
  for (const e of events) yield e.message;
}

/** One CloudWatch Logs event as PutLogEvents takes it, with the group and stream it goes to. */
export interface CloudWatchLogEvent {
  logGroup: string;
  logStream: string;
  timestamp: number;
  message: string;
}

/** CloudWatch Logs events; an event bound elsewhere is a wiring bug, so it fails loudly. */
export function* toCloudWatchEvents(events: Iterable<Routed>): Generator<CloudWatchLogEvent, void, undefined> {
  for (const e of events) {
    const d = e.dest;
    if (d.kind !== 'cwl') {
      throw new ConfigError('toCloudWatchEvents: event is not bound for CloudWatch Logs', {
        expected: "dest.kind 'cwl'",
        seen: `dest.kind '${d.kind}'`,
        fix: 'route events by dest.kind before adapting them',
      });
    }
    yield { logGroup: d.logGroup, logStream: d.logStream, timestamp: e.time, message: e.message };
  }
}

/** One Firehose record (PutRecordBatch entry) with the stream it goes to. */
export interface FirehoseRecord {
  deliveryStream: string;
  /** UTF-8 text; WAF writes one JSON object per record, newline-terminated. */
  data: string;
}

/** Firehose records: WAF delivers one newline-delimited JSON object per record. */
export function* toFirehoseRecords(events: Iterable<Routed>): Generator<FirehoseRecord, void, undefined> {
  for (const e of events) {
    const d = e.dest;
    if (d.kind !== 'firehose') {
      throw new ConfigError('toFirehoseRecords: event is not bound for Firehose', {
        expected: "dest.kind 'firehose'",
        seen: `dest.kind '${d.kind}'`,
        fix: 'route events by dest.kind before adapting them',
      });
    }
    yield { deliveryStream: d.deliveryStream, data: `${e.message}\n` };
  }
}

/** `-` means standard output. */
export type LineTarget = string | Writable;

/**
 * Streams lines to a file or stream in ~64 KiB chunks and honours backpressure: `write` returns a
 * promise only when the stream asked to wait, so the hot loop awaits rarely and memory stays flat.
 */
export class LineWriter {
  private readonly stream: Writable;
  private readonly ownsStream: boolean;
  private buf = '';
  private readonly chunkChars: number;
  lines = 0;
  /** The stream's error, if it failed (e.g. EPIPE when the reader of stdout went away). */
  failed: Error | undefined;
  /** Characters written (UTF-16 code units; equal to bytes for ASCII lines, which AWS logs here are). */
  chars = 0;

  constructor(target: LineTarget, opts: { chunkChars?: number } = {}) {
    this.chunkChars = opts.chunkChars ?? 64 * 1024;
    if (typeof target === 'string') {
      this.ownsStream = target !== '-';
      this.stream = target === '-' ? process.stdout : createWriteStream(target);
    } else {
      this.ownsStream = false;
      this.stream = target;
    }
    // Without a listener a stream error would crash the process; keep it and report it on the next write.
    this.stream.on('error', (err: Error) => {
      this.failed ??= err;
    });
  }

  /** Appends one line (a newline is added). Await the result when it is a promise. */
  write(line: string): Promise<void> | undefined {
    this.buf += line + '\n';
    this.lines++;
    this.chars += line.length + 1;
    if (this.buf.length >= this.chunkChars) return this.flush();
    return undefined;
  }

  /**
   * Appends `lines` whole lines that are already bytes (each newline-terminated): a generator's chunk from
   * its bytes path (`fill`). The bytes are copied, since the generator reuses its buffer; text written
   * before stays before. Await the result when it is a promise.
   */
  writeChunk(bytes: Uint8Array, lines: number): Promise<void> | undefined {
    if (this.failed) throw this.failed;
    let ok = true;
    if (this.buf.length > 0) {
      ok = this.stream.write(this.buf);
      this.buf = '';
    }
    ok = this.stream.write(Buffer.from(bytes)) && ok;
    this.lines += lines;
    this.chars += bytes.length;
    return ok ? undefined : once(this.stream, 'drain').then(() => undefined);
  }

  /** Writes what is buffered; resolves when the stream can take more. */
  flush(): Promise<void> | undefined {
    if (this.failed) throw this.failed;
    if (this.buf.length === 0) return undefined;
    const ok = this.stream.write(this.buf);
    this.buf = '';
    if (ok) return undefined;
    // events.once rejects when the stream emits 'error' while we wait, so a dead reader cannot hang us.
    return once(this.stream, 'drain').then(() => undefined);
  }

  /** Flushes and, for files this writer opened, closes and waits until the bytes are on disk. */
  async close(): Promise<void> {
    await this.flush();
    if (this.failed) throw this.failed;
    if (!this.ownsStream) return;
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => resolve());
    });
  }
}

/** Writes every line of a (sync or async) iterable to a target; returns the counts. */
export async function writeLines(lines: Iterable<string> | AsyncIterable<string>, target: LineTarget): Promise<{ lines: number; chars: number }> {
  const w = new LineWriter(target);
  for await (const line of lines) {
    const p = w.write(line);
    if (p) await p;
  }
  await w.close();
  return { lines: w.lines, chars: w.chars };
}
