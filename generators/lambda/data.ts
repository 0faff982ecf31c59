/**
 * Static value lists of the Lambda generator: per-function behaviour profiles (matched on the function
 * name's suffix), message templates and the errors each function fails with. Logic lives elsewhere.
 * Templates: {uuid} {n} {ms} {key} {bucket} {date} {order} are filled per line.
 */
export interface FunctionProfile {
  /** Share of all invocations. */
  weight: number;
  /** Duration, log-normal over ms. */
  durMu: number;
  durSigma: number;
  /** Max Memory Used as a fraction of Memory Size: a steady base plus per-invocation jitter. */
  memBase: number;
  memJitter: number;
  /** Cold start Init Duration range, ms. */
  initMs: readonly [number, number];
  /** INFO lines of a normal invocation, in order. */
  lines: readonly string[];
  /** Rare failures of normal operation. */
  errorRate: number;
  errors: readonly { type: string; message: string; frames: readonly string[] }[];
  /** The slow downstream a timeout storm hangs on. */
  downstream: string;
}

const RUNTIME_FRAMES = ['    at Runtime.handleOnceNonStreaming (file:///var/runtime/index.mjs:1173:29)'];

export const FUNCTION_PROFILES: Readonly<Record<string, FunctionProfile>> = {
  thumbnailer: {
    weight: 3,
    durMu: 5.3,
    durSigma: 0.35,
    memBase: 0.62,
    memJitter: 0.06,
    initMs: [380, 720],
    lines: ['Processing s3://{bucket}/uploads/{date}/{uuid}.jpg', 'Resized 4032x3024 -> 256x192 in {ms} ms', 'Wrote s3://{bucket}/thumbnails/{date}/{uuid}_256.jpg'],
    errorRate: 0.004,
    errors: [
      { type: 'Error', message: 'Input buffer contains unsupported image format', frames: ['    at Sharp.toBuffer (/var/task/node_modules/sharp/lib/output.js:163:17)', '    at resize (file:///var/task/index.mjs:41:23)', '    at Runtime.handler (file:///var/task/index.mjs:12:11)', ...RUNTIME_FRAMES] },
      { type: 'NoSuchKey', message: 'The specified key does not exist.', frames: ['    at de_NoSuchKeyRes (/var/runtime/node_modules/@aws-sdk/client-s3/dist-cjs/index.js:4869:21)', '    at Runtime.handler (file:///var/task/index.mjs:9:20)', ...RUNTIME_FRAMES] },
    ],
    downstream: 'https://img-cdn.partner.example.com/v2/purge',
  },
  'order-events': {
    weight: 6,
    durMu: 3.6,
    durSigma: 0.45,
    memBase: 0.38,
    memJitter: 0.04,
    initMs: [160, 340],
    lines: ['Received {n} records from SQS', 'Order {order} status=PAID amount={n}.00 currency=USD', 'Published order.paid for {order} to EventBridge'],
    errorRate: 0.003,
    errors: [
      { type: 'ConditionalCheckFailedException', message: 'The conditional request failed', frames: ['    at de_ConditionalCheckFailedExceptionRes (/var/runtime/node_modules/@aws-sdk/client-dynamodb/dist-cjs/index.js:2431:21)', '    at updateOrder (file:///var/task/orders.mjs:57:5)', '    at Runtime.handler (file:///var/task/index.mjs:22:7)', ...RUNTIME_FRAMES] },
      { type: 'TypeError', message: "Cannot read properties of undefined (reading 'orderId')", frames: ['    at parseRecord (file:///var/task/orders.mjs:14:31)', '    at Array.map (<anonymous>)', '    at Runtime.handler (file:///var/task/index.mjs:18:34)', ...RUNTIME_FRAMES] },
    ],
    downstream: 'https://events.us-east-1.amazonaws.com/',
  },
  'report-builder': {
    weight: 1,
    durMu: 8.2,
    durSigma: 0.5,
    memBase: 0.55,
    memJitter: 0.1,
    initMs: [520, 980],
    lines: ['Building daily report for {date}', 'Query returned {n} rows in {ms} ms', 'Uploaded s3://{bucket}/reports/daily/{date}.csv ({n} bytes)'],
    errorRate: 0.006,
    errors: [
      { type: 'Error', message: 'connect ETIMEDOUT 10.0.11.23:5432', frames: ['    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16)'] },
      { type: 'QueryTimeoutError', message: 'canceling statement due to statement timeout', frames: ['    at Parser.parseErrorMessage (/var/task/node_modules/pg-protocol/dist/parser.js:283:98)', '    at runQuery (file:///var/task/report.mjs:33:18)', '    at Runtime.handler (file:///var/task/index.mjs:15:20)', ...RUNTIME_FRAMES] },
    ],
    downstream: 'postgres://firedrill-orders-db:5432/orders',
  },
};

/** Used for functions the profiles do not know (a topology with other names). */
export const GENERIC_PROFILE: FunctionProfile = {
  weight: 2,
  durMu: 4.5,
  durSigma: 0.5,
  memBase: 0.45,
  memJitter: 0.05,
  initMs: [200, 500],
  lines: ['Handling event {uuid}', 'Done in {ms} ms'],
  errorRate: 0.004,
  errors: [{ type: 'Error', message: 'Unexpected response status 502', frames: ['    at callDownstream (file:///var/task/index.mjs:30:11)', '    at Runtime.handler (file:///var/task/index.mjs:12:11)', ...RUNTIME_FRAMES] }],
  downstream: 'https://api.partner.example.com/v1/',
};

/** What an error spike fails with (one cause dominates a spike: a bad deploy or a broken dependency). */
export const SPIKE_ERRORS: readonly { type: string; message: string; frames: readonly string[] }[] = [
  { type: 'TypeError', message: "Cannot read properties of undefined (reading 'items')", frames: ['    at mapItems (file:///var/task/lib/mapper.mjs:27:19)', '    at Runtime.handler (file:///var/task/index.mjs:16:22)', ...RUNTIME_FRAMES] },
  { type: 'Error', message: 'connect ECONNREFUSED 10.0.11.23:5432', frames: ['    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16)'] },
  { type: 'AccessDeniedException', message: 'User: arn:aws:sts::{acct}:assumed-role/{role}/{fn} is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:{region}:{acct}:key/{uuid} because no identity-based policy allows the kms:Decrypt action', frames: ['    at de_AccessDeniedExceptionRes (/var/runtime/node_modules/@aws-sdk/client-kms/dist-cjs/index.js:1188:21)', '    at decryptConfig (file:///var/task/config.mjs:12:24)', '    at Runtime.handler (file:///var/task/index.mjs:9:17)', ...RUNTIME_FRAMES] },
];

/** Lines a function writes while a memory-hungry invocation grows. */
export const MEMORY_LINES: readonly string[] = ['Loaded {n} rows into memory', 'Aggregating {n} rows by customer', 'Heap used {n} MB'];

export const NODE_RUNTIME_STACK_SUFFIX = RUNTIME_FRAMES;
