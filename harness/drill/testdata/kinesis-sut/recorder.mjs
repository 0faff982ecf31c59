// Records every Kinesis record it is invoked with: one item per record (its event id), how many times it came
// (`seen`), the log group its envelope names and the ids of the log events it carries.
import zlib from 'node:zlib';
import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';

// The SDK reads AWS_ENDPOINT_URL, the region and the credentials from the environment, as on Lambda.
const db = new DynamoDBClient({});

export async function onRecords(event) {
  for (const r of event.Records) {
    const envelope = JSON.parse(zlib.gunzipSync(Buffer.from(r.kinesis.data, 'base64')).toString('utf8'));
    await db.send(
      new UpdateItemCommand({
        TableName: process.env.SEEN_TABLE,
        Key: { pk: { S: r.eventID } },
        UpdateExpression: 'ADD seen :one SET logGroup = :g, ids = :ids',
        ExpressionAttributeValues: { ':one': { N: '1' }, ':g': { S: envelope.logGroup }, ':ids': { S: envelope.logEvents.map((e) => e.id).join(',') } },
      }),
    );
  }
}
