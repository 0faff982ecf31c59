import type { S3Client } from '@aws-sdk/client-s3';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConfigError, FEEDBACK_VERDICTS, FiredrillError, errorMessage, type FeedbackVerdict } from '../../core/index.ts';
import { createAwsClients } from '../../core/aws/index.ts';
import { defaultTopology, type Topology } from '../../core/topology/index.ts';
import { feedbackEntryFor, type FeedbackEntry } from '../detect/index.ts';
import { FeedbackStore, findingFromItem, findingItemKey } from '../store/index.ts';

/** The finding a verdict names is not in the findings table (bad input: exit code 2 from the CLI). */
export class UnknownFindingError extends ConfigError {}

export interface FeedbackEvent {
  findingId: string;
  verdict: FeedbackVerdict;
  note?: string;
}

export interface FeedbackResult {
  entry: FeedbackEntry;
  /** Verdicts now stored. */
  stored: number;
  /** Where they are kept. */
  location: string;
}

export interface FeedbackHandlerDeps {
  s3: Pick<S3Client, 'send'>;
  doc: Pick<DynamoDBDocumentClient, 'send'>;
  topology: Pick<Topology, 'pipeline'>;
  /** Wall clock (tests). */
  now?: () => number;
}

function checkEvent(e: unknown): FeedbackEvent {
  const x = (e ?? {}) as Partial<FeedbackEvent>;
  const fix = 'send {"findingId": "<id from the findings table or the alert>", "verdict": "false-positive" | "true-positive", "note": "optional"}';
  if (typeof x.findingId !== 'string' || x.findingId.trim() === '') throw new ConfigError('feedback names no finding', { expected: 'findingId: a non-empty string', seen: JSON.stringify(x.findingId), fix });
  if (!FEEDBACK_VERDICTS.includes(x.verdict as FeedbackVerdict)) throw new ConfigError('feedback has no verdict the detector knows', { expected: FEEDBACK_VERDICTS.join(' | '), seen: JSON.stringify(x.verdict), fix });
  if (x.note !== undefined && typeof x.note !== 'string') throw new ConfigError('feedback note is not text', { expected: 'a string', seen: JSON.stringify(x.note), fix });
  return { findingId: x.findingId.trim(), verdict: x.verdict as FeedbackVerdict, ...(x.note ? { note: x.note } : {}) };
}

/**
 * The feedback API: a verdict on a finding, as a Lambda-style handler a system under test (or a chat-ops bot, or
 * `firedrill feedback`) invokes with `{findingId, verdict, note?}`. It reads the finding from the findings table,
 * stores what it is about beside the detector state (the detector reads it on its next invocation) and records
 * the verdict on the finding item itself, so whoever reads the table sees it.
 */
export function createFeedbackHandler(deps: FeedbackHandlerDeps): (event: unknown) => Promise<FeedbackResult> {
  const p = deps.topology.pipeline;
  const store = new FeedbackStore(deps.s3, p.stateBucket);
  return async (event) => {
    const e = checkEvent(event);
    const got = await deps.doc.send(new GetCommand({ TableName: p.findingsTable, Key: findingItemKey(e.findingId) }));
    if (!got.Item) {
      throw new UnknownFindingError(`no finding ${e.findingId} in ${p.findingsTable}`, { expected: 'the findingId of a stored finding', seen: 'no such item', fix: 'copy the id from the alert, the report or the findings table (pk finding#<id>); is FIREDRILL_PREFIX the pipeline\'s?' });
    }
    const at = (deps.now ?? Date.now)();
    const entry = feedbackEntryFor(findingFromItem(got.Item), e.verdict, at, e.note);
    const entries = await store.add(entry);
    try {
      await deps.doc.send(new UpdateCommand({
        TableName: p.findingsTable,
        Key: findingItemKey(e.findingId),
        UpdateExpression: 'SET #fb = :fb',
        ExpressionAttributeNames: { '#fb': 'feedback' },
        ExpressionAttributeValues: { ':fb': { verdict: e.verdict, at, ...(e.note ? { note: e.note } : {}) } },
      }));
    } catch (err) {
      // The verdict is stored where the detector reads it; only its copy on the item is missing.
      throw new FiredrillError(`feedback stored in ${store.location}, but finding ${e.findingId} was not updated`, { expected: 'UpdateItem to succeed', seen: errorMessage(err), cause: err });
    }
    return { entry, stored: entries.length, location: store.location };
  };
}

let deployed: ((event: unknown) => Promise<FeedbackResult>) | undefined;

/** The Lambda entry point: clients from the environment, the default topology (FIREDRILL_PREFIX). */
export async function handler(event: unknown): Promise<FeedbackResult> {
  if (!deployed) {
    const clients = createAwsClients({ ...(process.env.AWS_ENDPOINT_URL ? { endpoint: process.env.AWS_ENDPOINT_URL } : {}) });
    deployed = createFeedbackHandler({ s3: clients.s3, doc: clients.doc, topology: defaultTopology(process.env.FIREDRILL_PREFIX ? { prefix: process.env.FIREDRILL_PREFIX } : {}) });
  }
  return deployed(event);
}
