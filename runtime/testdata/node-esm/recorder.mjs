// A Lambda handler as a team would write it (ESM, AWS SDK v3 with no configuration: region, endpoint and
// credentials come from the environment, as on Lambda). For every record of whatever event it gets (SQS, Kinesis,
// SNS, a CloudWatch Logs subscription, a schedule) it writes one item to the DynamoDB table TABLE.
// Words in a record steer it, so tests can make it fail: `fail` is reported in batchItemFailures, `throw` throws,
// `once` throws the first time the record is seen only, `hang` never returns, `crash` kills the runtime.
import { gunzipSync } from 'node:zlib';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';

const ddb = new DynamoDBClient({});
const seen = new Map();

function recordsOf(event) {
  if (event.awslogs) {
    const data = JSON.parse(gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8'));
    return data.logEvents.map((e) => ({ id: e.id, text: e.message, source: `logs:${data.logGroup}:${data.logStream}:${data.owner}:${data.subscriptionFilters.join(',')}` }));
  }
  if (event['detail-type'] === 'Scheduled Event') return [{ id: event.time, text: `tick ${event.time}`, source: `schedule:${event.resources[0]}` }];
  return event.Records.map((r) => {
    if (r.eventSource === 'aws:sqs') return { id: r.messageId, text: r.body, source: `sqs:${r.eventSourceARN}` };
    if (r.eventSource === 'aws:kinesis') return { id: r.kinesis.sequenceNumber, text: Buffer.from(r.kinesis.data, 'base64').toString('utf8'), source: `kinesis:${r.eventSourceARN}` };
    if (r.EventSource === 'aws:sns') return { id: r.Sns.MessageId, text: r.Sns.Message, source: `sns:${r.Sns.TopicArn}:${r.Sns.Subject}` };
    throw new Error(`unknown record ${JSON.stringify(r).slice(0, 200)}`);
  });
}

export async function handler(event, context) {
  const records = recordsOf(event);
  const batchItemFailures = [];
  for (const r of records) {
    const n = (seen.get(r.text) ?? 0) + 1;
    seen.set(r.text, n);
    if (r.text.includes('throw') || (r.text.includes('once') && n === 1)) throw new Error(`asked to throw by ${r.text}`);
    if (r.text.includes('hang')) await new Promise((resolve) => setTimeout(resolve, 600_000));
    if (r.text.includes('crash')) {
      // An exception nobody catches, outside the invocation's promise: it ends the worker, as it ends a Lambda runtime.
      setImmediate(() => {
        throw new Error(`crashed by ${r.text}`);
      });
      await new Promise(() => {});
    }
    if (r.text.includes('fail')) {
      batchItemFailures.push({ itemIdentifier: r.id });
      continue;
    }
    await ddb.send(
      new PutItemCommand({
        TableName: process.env.TABLE,
        Item: {
          pk: { S: `${context.functionName}#${r.text}` },
          source: { S: r.source },
          recordId: { S: r.id },
          requestId: { S: context.awsRequestId },
          remainingMs: { N: String(context.getRemainingTimeInMillis()) },
          seenTimes: { N: String(n) },
          at: { N: String(Date.now()) },
        },
      }),
    );
  }
  console.log(`recorded ${records.length - batchItemFailures.length} of ${records.length}`);
  return { batchItemFailures, records: records.length };
}
