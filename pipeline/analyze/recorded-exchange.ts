import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';

/** One HTTP exchange kept in testdata/: what the adapter must send and what the endpoint answered. */
export interface RecordedExchange {
  note: string;
  request: { method: string; path: string };
  response: { status: number; headers: Record<string, string>; body: unknown };
}

export function loadExchange(name: string): RecordedExchange {
  return JSON.parse(readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8')) as RecordedExchange;
}

/** What an adapter actually sent, for assertions. */
export interface SentRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** A fetch that answers with the recorded response and keeps what it was sent. */
export function replayFetch(x: RecordedExchange, sent: SentRequest[]): typeof fetch {
  return async (input, init) => {
    const url = new URL(String(input));
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((v, k) => (headers[k] = v));
    sent.push({
      method: init?.method ?? 'GET',
      path: url.pathname,
      headers,
      body: JSON.parse(String(init?.body)) as Record<string, unknown>,
    });
    return new Response(JSON.stringify(x.response.body), { status: x.response.status, headers: x.response.headers });
  };
}

/**
 * An HTTP handler for an AWS SDK v3 client that answers with the recorded response, so the SDK's own
 * serializer, signer and deserializer run for real; only the socket is replaced.
 */
export function replayHandler(x: RecordedExchange, sent: SentRequest[]) {
  return {
    handle: async (req: { method: string; path: string; headers: Record<string, string>; body?: unknown }) => {
      sent.push({ method: req.method, path: req.path, headers: req.headers, body: JSON.parse(typeof req.body === 'string' ? req.body : Buffer.from(req.body as Uint8Array).toString('utf8')) as Record<string, unknown> });
      const body = Buffer.from(JSON.stringify(x.response.body));
      return { response: { statusCode: x.response.status, headers: { ...x.response.headers, 'content-length': String(body.length) }, body: Readable.from([body]) } };
    },
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
  };
}
