export { FiredrillStack } from './firedrill-stack.ts';
export { synthesize } from './synth.ts';
