import type { NormalizedRecord } from '../../formats/index.ts';
import { createDetectorState, detectWindow, maskLine } from '../../pipeline/detect/index.ts';
import { WINDOW_MS, windowOf, type Corpus } from './corpus.ts';

/** A method's verdict: the start times of the windows it flags. */
export type Flagged = Set<number>;

/** Records grouped by one-minute window, in time order (only windows that hold records: corpora may be sparse). */
export function byWindow(records: readonly NormalizedRecord[]): [number, NormalizedRecord[]][] {
  const m = new Map<number, NormalizedRecord[]>();
  for (const r of records) {
    const w = windowOf(r.time);
    let a = m.get(w);
    if (!a) m.set(w, (a = []));
    a.push(r);
  }
  return [...m].sort((a, b) => a[0] - b[0]);
}

/** The detector, window by window as the ticker runs it: a window is flagged when it created or updated a finding. */
export function detectorFlags(c: Corpus): Flagged {
  let state = createDetectorState();
  const out: Flagged = new Set();
  for (const [start, rs] of byWindow(c.records)) {
    const r = detectWindow(state, rs, { start, end: start + WINDOW_MS }, c.topology);
    state = r.state;
    if (r.findings.length) out.add(start);
  }
  return out;
}

/** Baseline 1: a keyword grep for FATAL, ERROR, FAILURE (whole words, any case) in the raw line. */
export function grepFlags(c: Corpus): Flagged {
  const re = /\b(FATAL|ERROR|FAILURE)\b/i;
  const out: Flagged = new Set();
  for (const [start, rs] of byWindow(c.records)) if (rs.some((r) => re.test(r.message))) out.add(start);
  return out;
}

const CATEGORICAL = ['action', 'httpSourceName', 'country', 'httpMethod', 'responseCodeSent', 'protocol', 'errorCode', 'eventSource', 'operation', 'httpStatus', 'level', 'severity', 'kind', 'program'];

/** What "a value" is for the never-seen baseline: categorical fields, and a text line's masked template. */
function valuesOf(r: NormalizedRecord): string[] {
  const out: string[] = [];
  for (const k of CATEGORICAL) {
    const v = r.fields[k];
    if (v !== null && v !== undefined && v !== '') out.push(`${k}=${String(v)}`);
  }
  const text = r.fields.text ?? r.fields.detail;
  if (typeof text === 'string' || r.source !== 'waf') out.push(`template=${maskLine(typeof text === 'string' ? text : r.message).masked}`);
  return out;
}

/**
 * Baseline 2: flag a window holding any never-seen value. It learns for as many windows as the detector's
 * warm-up (5) before it may flag, so both start from the same history.
 */
export function neverSeenFlags(c: Corpus, warmup = 5): Flagged {
  const seen = new Set<string>();
  const out: Flagged = new Set();
  let windows = 0;
  for (const [start, rs] of byWindow(c.records)) {
    let novel = false;
    for (const r of rs) {
      for (const v of valuesOf(r)) {
        if (!seen.has(v)) {
          novel = true;
          seen.add(v);
        }
      }
    }
    if (novel && windows >= warmup) out.add(start);
    windows++;
  }
  return out;
}

export interface Score {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

export function score(flagged: Flagged, truth: ReadonlySet<number>): Score {
  let tp = 0, fp = 0;
  for (const w of flagged) {
    if (truth.has(w)) tp++;
    else fp++;
  }
  const fn = [...truth].filter((w) => !flagged.has(w)).length;
  const precision = tp + fp ? tp / (tp + fp) : 1;
  const recall = tp + fn ? tp / (tp + fn) : 1;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { tp, fp, fn, precision, recall, f1 };
}
