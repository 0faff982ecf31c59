import type { Finding, FindingAnalysis } from '../../core/index.ts';
import { errorMessage } from '../../core/index.ts';
import type { Analyzer } from './analyzer.ts';

export interface AnalyzeFindingsOptions {
  /** Most analyses in this call; findings past it are left for a later one. */
  maxPerRun: number;
  /** Per analysis; past it the call is abandoned. */
  timeoutMs: number;
  /** At most this many analyses in flight (default 2: a model endpoint is one machine, often a laptop). */
  concurrency?: number;
}

export interface AnalyzeFindingsResult {
  analyses: Map<string, FindingAnalysis>;
  /** Analyses that failed or timed out: the finding stays without one (logged by the caller). */
  failed: { findingId: string; error: string }[];
  /** Findings left for a later invocation because of maxPerRun. */
  deferred: string[];
}

/**
 * Runs the analyzer over findings, in the order given (the caller puts the new and escalated ones first), bounded
 * in number and time. It never throws: an analyzer must never lose a finding.
 */
export async function analyzeFindings(findings: readonly Finding[], analyzer: Analyzer, opts: AnalyzeFindingsOptions): Promise<AnalyzeFindingsResult> {
  const out: AnalyzeFindingsResult = { analyses: new Map(), failed: [], deferred: [] };
  const todo = findings.slice(0, opts.maxPerRun);
  out.deferred = findings.slice(opts.maxPerRun).map((f) => f.findingId);
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const f = todo[next++]!;
      const ctl = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      // The race, not only the signal: an analyzer that ignores its signal still cannot hold the detector up.
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          ctl.abort();
          reject(new Error(`no analysis within ${opts.timeoutMs} ms`));
        }, opts.timeoutMs);
      });
      try {
        out.analyses.set(f.findingId, await Promise.race([analyzer.analyze(f, ctl.signal), timeout]));
      } catch (err) {
        out.failed.push({ findingId: f.findingId, error: errorMessage(err) });
      } finally {
        clearTimeout(timer);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 2, todo.length)) }, worker));
  return out;
}
