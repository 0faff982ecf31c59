import { num, str } from './inputs.ts';
import { FRAME, framePlaybook, sdkTask } from './frame.ts';
import type { PlaybookSpec } from './types.ts';

export interface LambdaThrottleParams {
  functionName: string;
  /** 0 is the console's "Throttle": no new invocations until someone raises it again. */
  reservedConcurrency: number;
}

export const lambdaThrottle: PlaybookSpec<LambdaThrottleParams> = {
  name: 'lambda-throttle',
  description: 'cap the function with reserved concurrency so a timeout storm stops piling up',
  build: (ctx) =>
    framePlaybook(ctx, 'firedrill: throttle a Lambda function', 'PutConcurrency', {
      PutConcurrency: sdkTask(
        'lambda',
        'putFunctionConcurrency',
        { 'FunctionName.$': '$.params.functionName', 'ReservedConcurrentExecutions.$': '$.params.reservedConcurrency' },
        FRAME.recordSuccess,
      ),
    }),
  inputs: ['functionName', 'reservedConcurrency'],
  fromInputs: (i) => ({ functionName: str(i, 'functionName'), reservedConcurrency: num(i, 'reservedConcurrency') }),
  targets: (p) => [{ type: 'lambda-function', name: p.functionName }],
  resourceKeys: (p) => [`lambda-function:${p.functionName}`],
  outcomes: (p) => [{ outcome: 'lambda-concurrency-throttled', functionName: p.functionName, atMost: p.reservedConcurrency }],
};
