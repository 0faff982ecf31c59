// A detection pipeline that runs on its own, outside firedrill: it deploys its log group and alerts table, then
// follows the log group (FilterLogEvents) and writes one alert per source address whose SSH password failures
// reach a threshold within a minute. It prints `ready` once deployed. Plain JavaScript and the AWS SDK.
import { CloudWatchLogsClient, CreateLogGroupCommand, paginateFilterLogEvents } from '@aws-sdk/client-cloudwatch-logs';
import { CreateTableCommand, DynamoDBClient, PutItemCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';

const GROUP = '/outside/ec2/secure';
const TABLE = 'outside-alerts';
const THRESHOLD = 10;
const FAILED_PASSWORD = /Failed password for (?:invalid user )?\S+ from ([0-9a-fA-F.:]+) port \d+/;

const logs = new CloudWatchLogsClient({});
const db = new DynamoDBClient({});
const tolerate = (name) => (err) => {
  if (err.name !== name) throw err;
};

await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP })).catch(tolerate('ResourceAlreadyExistsException'));
await db
  .send(new CreateTableCommand({ TableName: TABLE, BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }] }))
  .catch(tolerate('ResourceInUseException'));
await waitUntilTableExists({ client: db, maxWaitTime: 30 }, { TableName: TABLE });
console.log('ready');

const seen = new Set();
const counts = new Map();
const alerted = new Set();
for (;;) {
  for await (const page of paginateFilterLogEvents({ client: logs }, { logGroupName: GROUP })) {
    for (const e of page.events ?? []) {
      if (seen.has(e.eventId)) continue;
      seen.add(e.eventId);
      const hit = FAILED_PASSWORD.exec(e.message ?? '');
      if (!hit) continue;
      const minute = Math.floor(e.timestamp / 60_000);
      const key = `${hit[1]}#${minute}`;
      const n = (counts.get(key) ?? 0) + 1;
      counts.set(key, n);
      if (n < THRESHOLD || alerted.has(hit[1])) continue;
      alerted.add(hit[1]);
      const item = { pk: { S: `alert#${hit[1]}` }, ip: { S: hit[1] }, detectedAt: { S: new Date((minute + 1) * 60_000).toISOString() }, reason: { S: 'ssh password failures' }, count: { N: String(n) } };
      await db.send(new PutItemCommand({ TableName: TABLE, Item: item }));
    }
  }
  await new Promise((r) => setTimeout(r, 300));
}
