import type { Finding } from '../../core/finding.ts';
import type { FindingKind } from '../../core/vocabulary.ts';
import type { EstateIds, Topology } from '../../core/topology/types.ts';
import { formats } from '../../formats/registry.ts';
import type { LineOrigin, NormalizedRecord } from '../../formats/types.ts';
import { RecordCompactor, createDetectorState, detectWindow, resolveConfig, type DetectorConfig, type DetectorState } from '../../pipeline/detect/index.ts';
import type { Plan } from '../../scenarios/plan.ts';

export interface OfflineDetection {
  findings: Finding[];
  records: number;
  /** Lines the registered formats could not parse (the normalizer would quarantine them). */
  unparsed: number;
  /** Wall ms spent in detectWindow alone. */
  detectMs: number;
  /** Every window in which a finding was created or updated, with those findings' kinds (window-level scoring). */
  flagged: { start: number; end: number; kinds: FindingKind[] }[];
  /** The detector's state after the last window. */
  state: DetectorState;
}

export interface OfflineOptions {
  /**
   * Each window's records as the handler holds them: through a curated line's JSON round trip and a RecordCompactor
   * of their own, instead of as normalized.
   */
  compact?: boolean;
}

/**
 * Detection quality without AWS: a plan's events normalized line by line with the registered formats (as the
 * normalizer does), then run through detectWindow window by window, as the ticker would. Used by the detection
 * evaluation and its test; the end-to-end proof is `firedrill run` on the emulator.
 */
export function detectOffline(plan: Plan, estate: EstateIds, topology: Topology, config: Partial<DetectorConfig> = {}, opts: OfflineOptions = {}): OfflineDetection {
  const cfg = resolveConfig(config);
  const W = cfg.windowMs;
  const records: NormalizedRecord[] = [];
  let n = 0;
  let unparsed = 0;
  for (const e of plan.events()) {
    const fmt = formats[e.source];
    const origin: LineOrigin = e.dest.kind === 'cwl' || e.dest.kind === 'kinesis' ? { logGroup: e.dest.logGroup, logStream: e.dest.logStream, timestamp: e.time } : e.dest.kind === 'firehose' ? { deliveryStream: e.dest.deliveryStream } : { key: e.dest.prefix };
    try {
      const x = fmt!.normalize(fmt!.parse(e.message, origin), origin);
      records.push({ id: `r${n++}`, source: e.source, time: x.time, ...(origin.logGroup ? { logGroup: origin.logGroup, logStream: origin.logStream! } : {}), entities: x.entities, fields: x.fields, message: e.message });
    } catch {
      unparsed++;
    }
  }
  records.sort((a, b) => a.time - b.time);
  // The ENI → instance inventory the handler reads with DescribeNetworkInterfaces, here from the estate ids.
  const inventory = { eniToInstance: Object.fromEntries(estate.instances.map((i) => [i.eniId, i.instanceId])) };
  let state = createDetectorState();
  const latest = new Map<string, Finding>();
  let i = 0;
  const flagged: OfflineDetection['flagged'] = [];
  const t0 = performance.now();
  // Windows past the end so episode tails and late links are finalized, as the ticker would.
  for (let s = Math.floor(plan.window.start / W) * W; s < plan.window.end + 2 * W; s += W) {
    const win: NormalizedRecord[] = [];
    while (i < records.length && records[i]!.time < s + W) win.push(records[i++]!);
    if (opts.compact) {
      const compactor = new RecordCompactor(inventory.eniToInstance);
      win.splice(0, win.length, ...win.map((r) => compactor.compact(JSON.parse(JSON.stringify(r)) as NormalizedRecord)));
    }
    const r = detectWindow(state, win, { start: s, end: s + W }, { dependencies: topology.dependencies, inventory }, cfg);
    state = r.state;
    for (const f of r.findings) latest.set(f.findingId, f);
    if (r.findings.length) flagged.push({ start: s, end: s + W, kinds: [...new Set(r.findings.map((f) => f.kind))] });
  }
  return { findings: [...latest.values()], records: records.length, unparsed, detectMs: performance.now() - t0, flagged, state };
}
