import type { Rng } from '../../core/index.ts';
import type { EntityPools, TruthLabel } from '../types.ts';
import type { CascadeWording } from './params.ts';

/**
 * What one link of the cascade (or a single-link incident) is given: its own forked rng, the instant its
 * first event must carry, the end of the incident window, its intensity and the label of its events.
 */
export interface LinkContext {
  rng: Rng;
  pools: EntityPools;
  /** Epoch ms of the link's first event (exactly). */
  onset: number;
  /** Exclusive end: no event at or after it. */
  end: number;
  /** 0..1 */
  intensity: number;
  label: TruthLabel;
  /** Other words for the link's error (cascade params `wording`); absent, the service's own. */
  wording?: CascadeWording;
}
