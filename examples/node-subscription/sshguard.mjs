// sshguard: a small team's detector, as it might run on AWS. Two Lambda functions share this module, each fed
// by a CloudWatch Logs subscription: one on the hosts' auth log (SSH password failures per source address),
// one on the VPC flow logs (rejected destination ports per source address). Counters live in a DynamoDB table
// per source address and minute; when one crosses its threshold the function writes one alert item per address
// into its own alerts table. Plain JavaScript and the AWS SDK; nothing here knows firedrill.
import zlib from 'node:zlib';
import { DynamoDBClient, PutItemCommand, UpdateItemCommand, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';

// The SDK reads AWS_ENDPOINT_URL, the region and the credentials from the environment, as on Lambda.
const db = new DynamoDBClient({});
const ALERTS = process.env.ALERTS_TABLE ?? 'sshguard-alerts';
const COUNTERS = process.env.COUNTERS_TABLE ?? 'sshguard-counters';
const SSH_FAILURES = Number(process.env.SSH_FAILURES_PER_MINUTE ?? 10);
const SCAN_PORTS = Number(process.env.REJECTED_PORTS_PER_MINUTE ?? 20);

const FAILED_PASSWORD = /Failed password for (?:invalid user )?\S+ from ([0-9a-fA-F.:]+) port \d+/;

/** The subscription's payload: base64 gzip of { messageType, logGroup, logStream, logEvents }. */
function decode(event) {
  return JSON.parse(zlib.gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8'));
}

/** One alert per source address, the first time it crosses a threshold, stamped with its counting minute's end. */
async function alert(ip, reason, count, at, logGroup) {
  try {
    await db.send(
      new PutItemCommand({
        TableName: ALERTS,
        Item: { pk: { S: `alert#${ip}` }, detectedAt: { S: new Date(at).toISOString() }, source: { S: logGroup }, ip: { S: ip }, count: { N: String(count) }, reason: { S: reason } },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    console.log(`ALERT ${reason} from ${ip} (${count} in a minute)`);
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
  }
}

/** Groups what a batch saw by address and minute: { key → { ip, minute, n, ports } }. */
function tally(events, pick) {
  const out = new Map();
  for (const e of events) {
    const hit = pick(e.message);
    if (!hit) continue;
    const minute = Math.floor(e.timestamp / 60_000);
    const key = `${hit.ip}#${minute}`;
    const t = out.get(key) ?? { ip: hit.ip, minute, n: 0, ports: new Set() };
    t.n++;
    if (hit.port !== undefined) t.ports.add(hit.port);
    out.set(key, t);
  }
  return out.values();
}

/** Auth log: SSH password failures per address and minute. */
export async function onAuthLog(event) {
  const batch = decode(event);
  for (const t of tally(batch.logEvents, (m) => {
    const x = FAILED_PASSWORD.exec(m);
    return x ? { ip: x[1] } : undefined;
  })) {
    const r = await db.send(new UpdateItemCommand({ TableName: COUNTERS, Key: { pk: { S: `ssh#${t.ip}#${t.minute}` } }, UpdateExpression: 'ADD n :n', ExpressionAttributeValues: { ':n': { N: String(t.n) } }, ReturnValues: 'UPDATED_NEW' }));
    const n = Number(r.Attributes.n.N);
    if (n >= SSH_FAILURES) await alert(t.ip, 'ssh password failures', n, (t.minute + 1) * 60_000, batch.logGroup);
  }
}

/** VPC flow logs (default format): distinct rejected destination ports per source address and minute. */
export async function onFlowLog(event) {
  const batch = decode(event);
  for (const t of tally(batch.logEvents, (m) => {
    const f = m.split(' ');
    // version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status
    return f.length >= 14 && f[12] === 'REJECT' ? { ip: f[3], port: f[6] } : undefined;
  })) {
    const r = await db.send(
      new UpdateItemCommand({ TableName: COUNTERS, Key: { pk: { S: `ports#${t.ip}#${t.minute}` } }, UpdateExpression: 'ADD ports :p', ExpressionAttributeValues: { ':p': { SS: [...t.ports] } }, ReturnValues: 'ALL_NEW' }),
    );
    const n = r.Attributes.ports.SS.length;
    if (n >= SCAN_PORTS) await alert(t.ip, 'port scan', n, (t.minute + 1) * 60_000, batch.logGroup);
  }
}
