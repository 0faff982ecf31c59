import type { FeedbackVerdict } from '../../core/index.ts';
import { createAwsClients } from '../../core/aws/index.ts';
import { defaultTopology } from '../../core/topology/index.ts';
import { createFeedbackHandler } from '../../pipeline/handlers/index.ts';

export interface FeedbackCommandOptions {
  verdict: FeedbackVerdict;
  note?: string;
  endpoint?: string;
  prefix?: string;
  json?: boolean;
}

/**
 * `firedrill feedback <findingId> --verdict …`: a verdict on a stored finding, through the same handler a SUT
 * calls. The detector reads it on its next invocation: a false positive is not raised again for that entity and
 * pattern; a true positive keeps (or restores) its sensitivity.
 */
export async function feedbackCommand(findingId: string, opts: FeedbackCommandOptions): Promise<number> {
  const endpoint = opts.endpoint ?? (process.env.FIREDRILL_ENDPOINT || process.env.AWS_ENDPOINT_URL || undefined);
  const prefix = opts.prefix ?? process.env.FIREDRILL_PREFIX;
  const clients = createAwsClients(endpoint ? { endpoint } : {});
  try {
    const give = createFeedbackHandler({ s3: clients.s3, doc: clients.doc, topology: defaultTopology(prefix ? { prefix } : {}) });
    const r = await give({ findingId, verdict: opts.verdict, ...(opts.note ? { note: opts.note } : {}) });
    if (opts.json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    else {
      const what = `${r.entry.kind} on ${r.entry.entityType} ${r.entry.entity}${r.entry.patterns ? ` (${r.entry.patterns.length} pattern(s))` : ''}`;
      process.stdout.write(`${r.entry.verdict} recorded for ${findingId}: ${what}\nstored in ${r.location} (${r.stored} verdict(s)); the detector applies it from its next invocation\n`);
    }
    return 0;
  } finally {
    clients.destroy();
  }
}
