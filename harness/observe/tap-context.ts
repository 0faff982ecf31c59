import type { AwsClients } from '../../core/aws/index.ts';
import type { HandlerReturn } from './types.ts';

/** What every tap needs from the run that opens it. */
export interface TapContext {
  clients: AwsClients;
  /** The target's account id (ARNs of firedrill's own queue and rule). */
  account: string;
  /**
   * `new` (a drill): what is already there when the tap opens is not an observation — only what appears, or
   * changes, after. `all` (`firedrill score` after the fact): everything the tap can read is.
   */
  from: 'new' | 'all';
  /** Names firedrill's own queues and rules (`firedrill-tap-<runId>-<n>`), so two runs never share one. */
  runId: string;
  /** Handler return values, for `returns` taps (the local runtime's; local mode only). */
  returns?: AsyncIterable<HandlerReturn>;
  /** Wall clock (tests may pin it). */
  now?: () => number;
  /** Notes a person should see (a pattern moto cannot apply, an object that would not parse). */
  warn?: (message: string) => void;
}
