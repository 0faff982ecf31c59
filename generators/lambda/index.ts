export { lambdaBackground } from './background.ts';
export { lambdaTimeoutStorm, lambdaErrorSpike, lambdaMemoryExhaustion } from './incidents.ts';
export { EventQueue } from './event-queue.ts';
export { lambdaFunctions, type LambdaFunction } from './function-model.ts';
