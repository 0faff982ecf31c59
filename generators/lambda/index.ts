export { lambdaBackground } from './background.ts';
export { lambdaTimeoutStorm } from './timeout-storm.ts';
export { lambdaErrorSpike } from './error-spike.ts';
export { lambdaMemoryExhaustion } from './memory-exhaustion.ts';
export { EventQueue } from './event-queue.ts';
export { lambdaFunctions, type LambdaFunction } from './function-model.ts';
