import { errorMessage } from '../../core/index.ts';
import type { Finding } from '../../core/index.ts';
import type { Dispatcher, DispatchResult } from '../remediate/dispatcher.ts';
import { parseAlertMessage } from '../remediate/parse-alert-message.ts';

/** The parts of an SQS event (Lambda's shape) the dispatcher reads. */
export interface SqsRecordLike {
  messageId: string;
  body: string;
}
export interface SqsEventLike {
  Records: SqsRecordLike[];
}
/** Lambda's partial batch response: only the failed records are redelivered (then dead-lettered). */
export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

export interface DispatcherHandlerOptions {
  /** Called once per record with what happened (default: nothing); the local runtime logs it. */
  onResult?: (r: { messageId: string; result?: DispatchResult; ignored?: 'notice'; error?: string }) => void;
}

/**
 * Thin adapter: SQS records of the alerts queue → findings → dispatcher. A record whose message is not a
 * finding, or whose dispatch threw (throttling, an unreachable endpoint), is reported as a batch item failure
 * so SQS redelivers only it; remediation notices are acknowledged and ignored.
 */
export function createDispatcherHandler(dispatcher: Dispatcher, opts: DispatcherHandlerOptions = {}): (event: SqsEventLike) => Promise<SqsBatchResponse> {
  const report = opts.onResult ?? (() => {});
  return async (event) => {
    const failures: { itemIdentifier: string }[] = [];
    const findings: { messageId: string; finding: Finding }[] = [];
    for (const r of event.Records) {
      try {
        const m = parseAlertMessage(r.body);
        if (m.type === 'notice') report({ messageId: r.messageId, ignored: 'notice' });
        else findings.push({ messageId: r.messageId, finding: m.finding });
      } catch (err) {
        failures.push({ itemIdentifier: r.messageId });
        report({ messageId: r.messageId, error: errorMessage(err) });
      }
    }
    const results = await dispatcher.dispatchAll(findings.map((x) => x.finding));
    results.forEach((res, i) => {
      const messageId = findings[i]!.messageId;
      if (res.status === 'fulfilled') report({ messageId, result: res.value });
      else {
        failures.push({ itemIdentifier: messageId });
        report({ messageId, error: errorMessage(res.reason) });
      }
    });
    return { batchItemFailures: failures };
  };
}
