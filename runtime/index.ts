/**
 * The local runtime: stand-ins for what an emulator cannot run — a SUT's Lambda handlers (Node in worker threads,
 * Python in processes of its own venv) and the triggers that invoke them (SQS, Kinesis, CloudWatch Logs
 * subscriptions, EventBridge schedules, SNS), with Lambda's event shapes. See README.md.
 */
export { startRuntime, type LocalRuntime, type StartRuntimeOptions, type InvocationRecord } from './start-runtime.ts';
export type {
  HandlerSpec,
  NodeHandlerSpec,
  PythonHandlerSpec,
  InlineHandlerSpec,
  LambdaContextLike,
  TriggerSpec,
  TriggerType,
  SqsTrigger,
  KinesisTrigger,
  LogsTrigger,
  ScheduleTrigger,
  SnsTrigger,
} from './handler-spec.ts';
export { validateHandlerSpecs, DEFAULT_TIMEOUT_MS, DEFAULT_MEMORY_MB } from './handler-spec.ts';
export type { HandlerStats, StopOptions } from './event-source.ts';
export type { ScheduleFire } from './schedule-source.ts';
export { HandlerInitError, InvocationError, type HandlerLogLine, type SerializedError } from './invoker.ts';
export { parseScheduleExpression, occurrencesBetween, type ScheduleExpression } from './schedule-expression.ts';
export { functionLogShipper, type FunctionLogShipper } from './function-log-shipper.ts';
export { ensurePythonVenv, type PythonVenv } from './python-venv.ts';
export { kinesisEvent } from './kinesis-event.ts';
export { logsSubscriptionEvent, decodeLogsSubscriptionEvent } from './logs-subscription-event.ts';
export { scheduledEvent } from './scheduled-event.ts';
export { snsEventFromNotification } from './sns-event.ts';
