import { createHash } from 'node:crypto';
import { LineWriter, type LineTarget } from './adapters.ts';
import type { WireEvent } from '../../core/index.ts';
import type { Destination, GeneratedEvent, TruthEntry } from '../types.ts';

export type { WireEvent };

/** A stable text form of a destination: `cwl:<group>:<stream>`, `firehose:<stream>`, `s3:<bucket>/<prefix>`. */
export function destinationKey(dest: Destination): string {
  switch (dest.kind) {
    case 'cwl':
      return `cwl:${dest.logGroup}:${dest.logStream}`;
    case 'firehose':
      return `firehose:${dest.deliveryStream}`;
    case 's3':
      return `s3:${dest.bucket}/${dest.prefix}`;
    case 'kinesis':
      return `kinesis:${dest.stream}:${dest.logGroup}:${dest.logStream}`;
  }
}

/** 16 hex characters of SHA-256 over the line's UTF-8 bytes: short, and recomputable from what landed in S3. */
export function lineHash(message: string): string {
  return createHash('sha256').update(message, 'utf8').digest('hex').slice(0, 16);
}

/**
 * Identifies an event without carrying its text: `<destinationKey>@<time>#<lineHash>`. The evaluator
 * recomputes it from a landed record (destination, event time, original line) to match truth to data.
 */
export function eventKey(dest: Destination, time: number, message: string): string {
  return `${destinationKey(dest)}@${time}#${lineHash(message)}`;
}

/** The truth entry of a labelled event, or undefined for a background event. */
export function truthEntryOf(event: GeneratedEvent): TruthEntry | undefined {
  const label = event.label;
  if (!label) return undefined;
  const entry: TruthEntry = {
    incidentId: label.incidentId,
    kind: label.kind,
    source: event.source,
    time: event.time,
    eventKey: eventKey(event.dest, event.time, event.message),
  };
  if (label.role !== undefined) entry.role = label.role;
  return entry;
}

/** Strips a label: the wire event is built field by field so nothing else can ride along. */
export function toWireEvent(event: GeneratedEvent): WireEvent {
  return { time: event.time, source: event.source, dest: event.dest, message: event.message };
}

/**
 * Splits a labelled stream: yields wire events (labels stripped) and hands every truth entry to
 * `onTruth` before the wire event that carries the same line is yielded.
 */
export function* splitTruth(events: Iterable<GeneratedEvent>, onTruth: (entry: TruthEntry) => void): Generator<WireEvent, void, undefined> {
  for (const e of events) {
    const entry = truthEntryOf(e);
    if (entry) onTruth(entry);
    yield toWireEvent(e);
  }
}

/** One NDJSON line of the truth manifest (fields in a fixed order, so manifests diff cleanly). */
export function truthLine(entry: TruthEntry): string {
  const o: TruthEntry = {
    incidentId: entry.incidentId,
    kind: entry.kind,
    source: entry.source,
    time: entry.time,
    eventKey: entry.eventKey,
  };
  if (entry.role !== undefined) o.role = entry.role;
  return JSON.stringify(o);
}

/** Parses a truth manifest (NDJSON) back into entries; blank lines are ignored. */
export function parseTruthManifest(text: string): TruthEntry[] {
  const out: TruthEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    out.push(JSON.parse(line) as TruthEntry);
  }
  return out;
}

/** Writes a truth manifest (NDJSON, one TruthEntry per line) to a file or stream, with backpressure. */
export class TruthManifestWriter {
  private readonly out: LineWriter;
  constructor(target: LineTarget) {
    this.out = new LineWriter(target, { chunkChars: 16 * 1024 });
  }
  get entries(): number {
    return this.out.lines;
  }
  write(entry: TruthEntry): Promise<void> | undefined {
    return this.out.write(truthLine(entry));
  }
  close(): Promise<void> {
    return this.out.close();
  }
}

/**
 * Writes a generated stream: lines to `out`, truth entries to `truth`, awaiting backpressure of both.
 * The shared way to put a plan's events into files (CLI, tests, the bench).
 */
export async function writeEventsWithTruth(
  events: Iterable<GeneratedEvent>,
  out: LineTarget,
  truth: LineTarget,
): Promise<{ events: number; chars: number; truthEntries: number }> {
  const lines = new LineWriter(out);
  const manifest = new TruthManifestWriter(truth);
  for (const e of events) {
    const entry = truthEntryOf(e);
    if (entry) {
      const p = manifest.write(entry);
      if (p) await p;
    }
    const p = lines.write(e.message);
    if (p) await p;
  }
  await lines.close();
  await manifest.close();
  return { events: lines.lines, chars: lines.chars, truthEntries: manifest.entries };
}
