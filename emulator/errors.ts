import { FiredrillError } from '../core/index.ts';

/** No emulator strategy worked; the message lists each strategy, why it failed and how to fix it. */
export class EmulatorUnavailableError extends FiredrillError {}

/** The Python environment for moto could not be prepared (python3 missing, pip failing …). */
export class EmulatorSetupError extends FiredrillError {}

/** Creating the declared topology on the emulator (or AWS) failed. */
export class BootstrapError extends FiredrillError {}
