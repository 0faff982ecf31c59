/**
 * The call ledger: every command the pipeline sends, in order, so tests can assert exactly what was done
 * ("bootstrap's second run made no Create* call", "the sink made 3 PutLogEvents calls").
 * It keeps identifiers, never payloads: log lines, object bodies and messages stay out of it.
 */
export interface LedgerEntry {
  /** Order of sending within this ledger (1-based). */
  seq: number;
  /** The factory's service key: `logs`, `s3`, `sfn` … */
  service: string;
  /** The operation without the `Command` suffix, as AWS names it: `PutLogEvents`, `CreateBucket` … */
  command: string;
  /** Scalar identifier fields of the input (names, ids, ARNs, URLs, keys) and `<field>.length` for lists. */
  input: Record<string, string | number | boolean>;
  outcome: 'ok' | 'error';
  /** Error name (e.g. `ResourceNotFoundException`) when outcome is 'error'. */
  error?: string;
  /** HTTP status of the last attempt, when known. */
  httpStatus?: number;
  /** Wall time including the SDK's retries. */
  durationMs: number;
  startedAt: number;
}

export interface LedgerQuery {
  service?: string;
  command?: string | RegExp;
  outcome?: 'ok' | 'error';
}

/** Input keys that identify a resource; everything else (bodies, documents, events) is left out. */
const ID_KEY = /(name|names|id|ids|arn|url|bucket|key|prefix|family|cluster|service|identifier|group|table|stream|topic|queue|instance|version|token)$/i;
const NEVER = /^(body|data|message|messagebody|item|items|records|logevents|definition|zipfile|policy|policydocument|assumerolepolicydocument|input|output|secretaccesskey|password|masteruserpassword)$/i;

export function ledgerInput(input: unknown): LedgerEntry['input'] {
  const out: LedgerEntry['input'] = {};
  if (!input || typeof input !== 'object') return out;
  for (const [k, v] of Object.entries(input as Record<string, unknown>)) {
    if (Array.isArray(v)) {
      out[`${k}.length`] = v.length;
      continue;
    }
    if (NEVER.test(k) || !ID_KEY.test(k)) continue;
    if (typeof v === 'string') out[k] = v.length > 256 ? `${v.slice(0, 256)}…` : v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  }
  return out;
}

/**
 * Entries kept by default. Every thread that makes clients has its own ledger — the CLI's and each handler
 * thread's — and a production-scale drill makes hundreds of thousands of calls in each: an entry with its input
 * (an S3 key or a log group name) is ~0.4 KB of heap, so the former 100,000 came to ~40 MB per thread, held to the
 * end of the run by threads whose ledger nobody reads. What a test or a bench asks about is the recent calls.
 */
export const DEFAULT_LEDGER_CAPACITY = 10_000;

export class CallLedger {
  /** A ring of the last `capacity` entries: `#ring[#head]` is the oldest once it is full (no shifting per call). */
  #ring: LedgerEntry[] = [];
  #head = 0;
  #seq = 0;
  /** Keeps memory bounded on long runs: the oldest entries are dropped beyond this. */
  readonly capacity: number;

  constructor(capacity = DEFAULT_LEDGER_CAPACITY) {
    if (!(Number.isInteger(capacity) && capacity > 0)) throw new RangeError(`CallLedger capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
  }

  record(entry: Omit<LedgerEntry, 'seq'>): LedgerEntry {
    const full = { seq: ++this.#seq, ...entry };
    if (this.#ring.length < this.capacity) this.#ring.push(full);
    else {
      this.#ring[this.#head] = full;
      this.#head = (this.#head + 1) % this.capacity;
    }
    return full;
  }

  /** Current position, to ask later what happened after it (`since(mark)`). */
  mark(): number {
    return this.#seq;
  }

  entries(query: LedgerQuery = {}): LedgerEntry[] {
    return this.#ordered().filter((e) => matches(e, query));
  }

  since(mark: number, query: LedgerQuery = {}): LedgerEntry[] {
    return this.#ordered().filter((e) => e.seq > mark && matches(e, query));
  }

  count(query: LedgerQuery = {}): number {
    return this.entries(query).length;
  }

  clear(): void {
    this.#ring = [];
    this.#head = 0;
  }

  #ordered(): LedgerEntry[] {
    return this.#head === 0 ? this.#ring : [...this.#ring.slice(this.#head), ...this.#ring.slice(0, this.#head)];
  }
}

function matches(e: LedgerEntry, q: LedgerQuery): boolean {
  if (q.service !== undefined && e.service !== q.service) return false;
  if (q.outcome !== undefined && e.outcome !== q.outcome) return false;
  if (q.command !== undefined) {
    if (typeof q.command === 'string' ? e.command !== q.command : !q.command.test(e.command)) return false;
  }
  return true;
}
