/** The reference pipeline's Lambda handlers: thin adapters over normalize, detect and remediate. */
export { createNormalizerHandler, handler as normalizerHandler } from './normalizer-handler.ts';
export { createDetectorHandler, DetectorStoreError, handler as detectorHandler, type DetectorHandlerDeps, type DetectorEvent, type DetectorRunResult } from './detector-handler.ts';
export { createDispatcherHandler, handler as dispatcherHandler, type DispatcherHandlerOptions, type SqsEventLike, type SqsRecordLike } from './dispatcher-handler.ts';
export { createFeedbackHandler, UnknownFindingError, handler as feedbackHandler, type FeedbackEvent, type FeedbackResult, type FeedbackHandlerDeps } from './feedback-handler.ts';
export { HANDLER_ENVIRONMENT, handlerContext, type HandlerName } from './handler-environment.ts';
