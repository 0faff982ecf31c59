import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRng, type Rng } from '../../core/rng.ts';

/**
 * Per-request probabilities (each 0..1; their sum is the share of requests that meet a fault). Rates up to
 * 0.3 in all are what the pipeline must survive with every event accounted for.
 */
export interface FaultRates {
  /** Answer 400 ThrottlingException (JSON APIs) or 503 SlowDown (S3) without forwarding. */
  throttle?: number;
  /** Answer 503 ServiceUnavailable without forwarding. */
  unavailable?: number;
  /** Destroy the connection without forwarding. */
  drop?: number;
  /** Forward, then destroy the connection: the call took effect and the caller cannot know (not for ReceiveMessage). */
  dropAfterForward?: number;
  /**
   * Duplicated deliveries: a write is forwarded twice; a ReceiveMessage that returns messages also sends a
   * copy of each back to the queue, the way at-least-once S3 → SQS delivery repeats a notification.
   */
  duplicate?: number;
  /** PutRecordBatch: fail a random third of the records with ErrorCode (FailedPutCount > 0), forward the rest. */
  partialFailure?: number;
}

export type FaultKind = keyof FaultRates;

export interface FaultProxy extends AsyncDisposable {
  /** Point SDK clients here instead of at the emulator. */
  readonly url: string;
  /** Faults injected so far, by kind and operation (`throttle PutLogEvents` …). */
  readonly injected: Map<string, number>;
  requests: number;
  setRates(rates: FaultRates): void;
  close(): Promise<void>;
}

/** `Logs_20140328.PutLogEvents` → `PutLogEvents`; S3 REST calls → `S3 <METHOD>`. */
function operationOf(req: http.IncomingMessage): { op: string; json: boolean } {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') return { op: target.split('.').pop() ?? target, json: true };
  return { op: `S3 ${req.method}`, json: false };
}

function errorResponse(res: http.ServerResponse, json: boolean, kind: 'throttle' | 'unavailable'): void {
  if (json) {
    const type = kind === 'throttle' ? 'ThrottlingException' : 'ServiceUnavailableException';
    res.writeHead(kind === 'throttle' ? 400 : 503, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type });
    res.end(JSON.stringify({ __type: type, message: 'injected by the firedrill fault proxy' }));
  } else {
    const code = kind === 'throttle' ? 'SlowDown' : 'ServiceUnavailable';
    res.writeHead(503, { 'content-type': 'application/xml' });
    res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>injected by the firedrill fault proxy</Message></Error>`);
  }
}

interface Upstream {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function forward(target: URL, req: http.IncomingMessage, body: Buffer, override?: Buffer): Promise<Upstream> {
  const payload = override ?? body;
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, host: target.host, 'content-length': String(payload.length) };
    const up = http.request({ hostname: target.hostname, port: target.port, path: req.url, method: req.method, headers }, (r) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => resolve({ status: r.statusCode ?? 502, headers: r.headers, body: Buffer.concat(chunks) }));
      r.on('error', reject);
    });
    up.on('error', reject);
    up.end(payload);
  });
}

function reply(res: http.ServerResponse, up: Upstream, body = up.body): void {
  const headers = { ...up.headers };
  delete headers['transfer-encoding'];
  headers['content-length'] = String(body.length);
  res.writeHead(up.status, headers);
  res.end(body);
}

/**
 * A small HTTP proxy on loopback between the SDK clients and the emulator that injects the failures AWS
 * really produces: throttling, 503s, dropped connections (before and after the call took effect),
 * duplicated deliveries and partial PutRecordBatch failures. Seeded, so a failing run can be replayed.
 */
export async function startFaultProxy(targetUrl: string, opts: { rates: FaultRates; seed?: string | number }): Promise<FaultProxy> {
  const target = new URL(targetUrl);
  let rates = opts.rates;
  const rng: Rng = createRng(`fault-proxy/${opts.seed ?? 1}`);
  const injected = new Map<string, number>();
  const note = (kind: string, op: string) => injected.set(`${kind} ${op}`, (injected.get(`${kind} ${op}`) ?? 0) + 1);
  const state = { requests: 0 };

  const pick = (op: string): FaultKind | undefined => {
    let x = rng.next();
    const kinds: FaultKind[] = ['throttle', 'unavailable', 'drop', 'dropAfterForward', 'duplicate', 'partialFailure'];
    for (const k of kinds) {
      const r = rates[k] ?? 0;
      if (k === 'partialFailure' && op !== 'PutRecordBatch') continue;
      // Losing a ReceiveMessage response hides messages for the whole visibility timeout: not a fault worth minutes.
      if (k === 'dropAfterForward' && op === 'ReceiveMessage') continue;
      if (x < r) return k;
      x -= r;
    }
    return undefined;
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        state.requests++;
        const body = Buffer.concat(chunks);
        const { op, json } = operationOf(req);
        // The emulator's own control API is never faulted.
        const fault = req.url?.startsWith('/moto-api') ? undefined : pick(op);
        if (fault) note(fault, op);
        try {
          switch (fault) {
            case 'throttle':
            case 'unavailable':
              return errorResponse(res, json, fault);
            case 'drop':
              return req.socket.destroy();
            case 'dropAfterForward':
              await forward(target, req, body);
              return req.socket.destroy();
            case 'duplicate': {
              if (op === 'ReceiveMessage') {
                const up = await forward(target, req, body);
                const queueUrl = (JSON.parse(body.toString('utf8')) as { QueueUrl: string }).QueueUrl;
                const got = JSON.parse(up.body.toString('utf8') || '{}') as { Messages?: { Body: string }[] };
                for (const m of got.Messages ?? []) {
                  const send = Buffer.from(JSON.stringify({ QueueUrl: queueUrl, MessageBody: m.Body }));
                  await forward(target, Object.assign(Object.create(req) as http.IncomingMessage, { headers: { ...req.headers, 'x-amz-target': 'AmazonSQS.SendMessage' } }), send);
                }
                return reply(res, up);
              }
              await forward(target, req, body);
              return reply(res, await forward(target, req, body));
            }
            case 'partialFailure': {
              const input = JSON.parse(body.toString('utf8')) as { DeliveryStreamName: string; Records: unknown[] };
              const failed = input.Records.map(() => rng.chance(1 / 3));
              const kept = input.Records.filter((_, i) => !failed[i]);
              const up = kept.length ? await forward(target, req, body, Buffer.from(JSON.stringify({ ...input, Records: kept }))) : undefined;
              if (up && up.status !== 200) return reply(res, up);
              const ids = ((up ? JSON.parse(up.body.toString('utf8')) : { RequestResponses: [] }) as { RequestResponses: { RecordId?: string }[] }).RequestResponses;
              let j = 0;
              const responses = failed.map((f) => (f ? { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'injected partial failure' } : ids[j++] ?? { RecordId: 'x' }));
              const out = Buffer.from(JSON.stringify({ FailedPutCount: failed.filter(Boolean).length, Encrypted: false, RequestResponses: responses }));
              res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'content-length': String(out.length) });
              return res.end(out);
            }
            default:
              return reply(res, await forward(target, req, body));
          }
        } catch {
          req.socket.destroy();
        }
      })();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    url: `http://127.0.0.1:${port}`,
    injected,
    get requests() {
      return state.requests;
    },
    set requests(n: number) {
      state.requests = n;
    },
    setRates(r) {
      rates = r;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
