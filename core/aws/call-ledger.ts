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

export class CallLedger {
  #entries: LedgerEntry[] = [];
  #seq = 0;
  /** Keeps memory bounded on long load runs: the oldest entries are dropped beyond this. */
  readonly capacity: number;

  constructor(capacity = 100_000) {
    this.capacity = capacity;
  }

  record(entry: Omit<LedgerEntry, 'seq'>): LedgerEntry {
    const full = { seq: ++this.#seq, ...entry };
    this.#entries.push(full);
    if (this.#entries.length > this.capacity) this.#entries.splice(0, this.#entries.length - this.capacity);
    return full;
  }

  /** Current position, to ask later what happened after it (`since(mark)`). */
  mark(): number {
    return this.#seq;
  }

  entries(query: LedgerQuery = {}): LedgerEntry[] {
    return this.#entries.filter((e) => matches(e, query));
  }

  since(mark: number, query: LedgerQuery = {}): LedgerEntry[] {
    return this.#entries.filter((e) => e.seq > mark && matches(e, query));
  }

  count(query: LedgerQuery = {}): number {
    return this.entries(query).length;
  }

  clear(): void {
    this.#entries = [];
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
