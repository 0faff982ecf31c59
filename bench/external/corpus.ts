import type { NormalizedRecord } from '../../formats/index.ts';
import type { DetectTopology } from '../../pipeline/detect/index.ts';

/** A labelled corpus for window-level scoring: records in time order, and which one-minute windows are anomalous. */
export interface Corpus {
  id: string;
  /** Where it comes from, said plainly (team-written from a seed's description, or a third party's data). */
  origin: string;
  records: NormalizedRecord[];
  /** Start times (epoch ms, minute-aligned) of the windows labelled anomalous. */
  anomalous: Set<number>;
  /** The estate's dependency graph, where the corpus has one. */
  topology: DetectTopology;
}

export const WINDOW_MS = 60_000;
export const windowOf = (t: number): number => Math.floor(t / WINDOW_MS) * WINDOW_MS;
