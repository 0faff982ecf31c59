import { FiredrillError } from '../errors.ts';

/**
 * The AWS endpoint did not answer at all (connection refused/reset, timeout): an emulator that was killed
 * or never started, or no network. Raised instead of the SDK's bare socket error so the message says so.
 */
export class EndpointUnreachableError extends FiredrillError {}
