import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { paginateScan } from '@aws-sdk/lib-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { AwsClients } from '../../core/aws/index.ts';
import type { HandlerLogLine, NodeHandlerSpec, PythonHandlerSpec, TriggerSpec } from '../index.ts';
import { ensurePythonVenv } from '../python-venv.ts';

/** Shared by the runtime's e2e files: the test handlers, their venv, a table they write to. */
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
export const NODE_ESM = here('./node-esm/recorder.mjs');
export const NODE_CJS = here('./node-cjs/handler.cjs');
export const PYTHON_DIR = here('./python');
export const PYTHON_BAD_DIR = here('./python-bad');
export const REQUIREMENTS = here('./python/requirements.txt');
/** One venv for every runtime e2e test (boto3 only): made on the first run, reused after. */
export const VENV_OWNER = 'runtime-testdata';

export const unique = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

export function ensureTestVenv(): Promise<unknown> {
  return ensurePythonVenv({ owner: VENV_OWNER, handler: 'recorder of the runtime tests', requirements: REQUIREMENTS });
}

export function nodeRecorder(name: string, table: string, trigger: TriggerSpec, extra: Partial<NodeHandlerSpec> = {}): NodeHandlerSpec {
  return { name, runtime: 'node', entry: { file: NODE_ESM, export: 'handler' }, environment: { TABLE: table }, timeoutMs: 10_000, trigger, ...extra };
}

export function pythonRecorder(name: string, table: string, trigger: TriggerSpec, extra: Partial<PythonHandlerSpec> = {}): PythonHandlerSpec {
  return {
    name,
    runtime: 'python',
    entry: { codeDir: PYTHON_DIR, handler: 'recorder.lambda_handler' },
    python: { requirements: REQUIREMENTS, owner: VENV_OWNER },
    environment: { TABLE: table },
    timeoutMs: 10_000,
    trigger,
    ...extra,
  };
}

/** A table keyed by `pk` (string), as the recorders write. */
export async function createTable(clients: AwsClients, name: string): Promise<string> {
  await clients.dynamodb.send(new CreateTableCommand({ TableName: name, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));
  await waitUntilTableExists({ client: clients.dynamodb, maxWaitTime: 30 }, { TableName: name });
  return name;
}

/** The table's items by `pk`. */
export async function items(clients: AwsClients, table: string): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  for await (const page of paginateScan({ client: clients.doc }, { TableName: table })) for (const i of page.Items ?? []) out.set(String(i.pk), i);
  return out;
}

/** A queue, with a DLQ after `maxReceiveCount` receives when asked. */
export async function createQueue(clients: AwsClients, name: string, dlq?: { name: string; maxReceiveCount: number }): Promise<{ url: string; dlqUrl?: string }> {
  let redrive: Record<string, string> = {};
  let dlqUrl: string | undefined;
  if (dlq) {
    dlqUrl = (await clients.sqs.send(new CreateQueueCommand({ QueueName: dlq.name }))).QueueUrl!;
    const arn = (await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    redrive = { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: dlq.maxReceiveCount }) };
  }
  const url = (await clients.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '30', ...redrive } }))).QueueUrl!;
  return dlqUrl ? { url, dlqUrl } : { url };
}

export async function bodies(clients: AwsClients, queueUrl: string): Promise<string[]> {
  const res = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
  return (res.Messages ?? []).map((m) => m.Body ?? '').sort();
}

/** Collects the handlers' log lines (the runtime's onLog). */
export function logCollector(): { onLog: (l: HandlerLogLine) => void; lines: (handler: string) => string[] } {
  const all: HandlerLogLine[] = [];
  return { onLog: (l) => all.push(l), lines: (h) => all.filter((l) => l.handler === h).map((l) => l.line) };
}
