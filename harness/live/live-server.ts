import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Registry } from 'prom-client';
import { ConfigError } from '../../core/index.ts';
import type { LiveHub } from './live-hub.ts';

export interface LiveServerOptions {
  /** 0 picks a free port (tests). */
  port: number;
  /** 127.0.0.1 by default; 0.0.0.0 in a container, so the host's published port reaches it. */
  host?: string;
  hub: LiveHub;
  metrics: Registry;
  /** The page at `/`; without one, `/` lists the endpoints. */
  page?: string;
  /** A report directory served read-only under /report/ (report.html, index.html, runs/…). */
  reportDir?: string;
}

export interface LiveServer {
  url: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.json': 'application/json', '.xml': 'application/xml' };

/**
 * The live page over plain node:http: `/` the page, `/events` server-sent events, `/metrics` Prometheus text,
 * `/report/…` the written reports. Server-sent events need no library: a long response with a text/event-stream
 * content type that the browser's EventSource reads and reconnects by itself.
 */
export async function startLiveServer(opts: LiveServerOptions): Promise<LiveServer> {
  const reportRoot = opts.reportDir ? resolve(opts.reportDir) : undefined;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'GET only\n');
    if (path === '/events') return opts.hub.attach(res);
    if (path === '/metrics') return send(res, 200, opts.metrics.contentType, await opts.metrics.metrics());
    if (path === '/healthz') return send(res, 200, 'text/plain', 'ok\n');
    if (path === '/') return opts.page ? send(res, 200, TYPES['.html']!, opts.page) : send(res, 200, 'text/plain', 'firedrill: /metrics (Prometheus), /events (server-sent events)\n');
    if (reportRoot && path.startsWith('/report/')) {
      const file = normalize(join(reportRoot, decodeURIComponent(path.slice('/report/'.length))));
      const type = TYPES[extname(file)];
      // Only files below the report directory, and only what reports are made of.
      if (!file.startsWith(reportRoot + sep) || !type) return send(res, 404, 'text/plain', 'not a report file\n');
      try {
        return send(res, 200, type, await readFile(file));
      } catch {
        return send(res, 404, 'text/plain', 'no such report yet: reports are written when the drills end\n');
      }
    }
    return send(res, 404, 'text/plain', 'not found: / (live page), /events, /metrics, /report/report.html\n');
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => send(res, 500, 'text/plain', `${String(err)}\n`));
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      fail(err.code === 'EADDRINUSE' ? new ConfigError(`port ${opts.port} is taken`, { expected: 'a free port for --serve', seen: `${opts.host ?? '127.0.0.1'}:${opts.port} in use`, fix: 'give another port, e.g. --serve 8081' }) : err),
    );
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => ok());
  });
  const heartbeat = setInterval(() => opts.hub.heartbeat(), 15_000);
  heartbeat.unref();
  const { port, address } = server.address() as AddressInfo;
  const shown = address === '0.0.0.0' || address === '::' ? 'localhost' : address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${shown}:${port}/`,
    close: async () => {
      clearInterval(heartbeat);
      opts.hub.close();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}
