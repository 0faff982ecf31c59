import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { endpointWaitMs, waitForEndpoint } from './wait-for-endpoint.ts';

/** An HTTP server that answers like LocalStack: health first, its READY stage complete only after `readyAfter` polls. */
async function fakeLocalStack(readyAfter: number): Promise<{ server: Server; url: string; readyPolls: () => number }> {
  let polls = 0;
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/_localstack/health') return res.end(JSON.stringify({ version: '4.14.0', services: { s3: 'available' } }));
    if (req.url === '/_localstack/init/ready') {
      polls += 1;
      return res.end(JSON.stringify({ completed: polls > readyAfter, scripts: [] }));
    }
    res.statusCode = 404;
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, readyPolls: () => polls };
}

let open: Server | undefined;
afterEach(() => new Promise<void>((r) => (open ? open.close(() => r()) : r())));

describe('waiting for an emulator named from outside', () => {
  it('reads FIREDRILL_ENDPOINT_WAIT as a duration or seconds; unset or 0 means one probe', () => {
    expect(endpointWaitMs({})).toBe(0);
    expect(endpointWaitMs({ FIREDRILL_ENDPOINT_WAIT: '0' })).toBe(0);
    expect(endpointWaitMs({ FIREDRILL_ENDPOINT_WAIT: '90' })).toBe(90_000);
    expect(endpointWaitMs({ FIREDRILL_ENDPOINT_WAIT: '2m' })).toBe(120_000);
    expect(() => endpointWaitMs({ FIREDRILL_ENDPOINT_WAIT: 'soon' })).toThrow(/FIREDRILL_ENDPOINT_WAIT.*\n?[\s\S]*120s/);
  });

  it('waits past a LocalStack whose health answers until its READY stage is complete', async () => {
    const ls = await fakeLocalStack(2);
    open = ls.server;
    const probe = await waitForEndpoint(ls.url, 10_000);
    expect(probe.flavor).toBe('localstack');
    expect(ls.readyPolls()).toBe(3);
  });

  it('gives up at the deadline with what it waited for', async () => {
    const ls = await fakeLocalStack(Number.POSITIVE_INFINITY);
    open = ls.server;
    await expect(waitForEndpoint(ls.url, 1_200)).rejects.toThrow(/timed out after 1200 ms waiting for the emulator at .* to be ready/);
  });
});
