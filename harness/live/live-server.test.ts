import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRunMetrics } from './drill-metrics.ts';
import { LiveHub } from './live-hub.ts';
import { startLiveServer, type LiveServer } from './live-server.ts';

/** Reads an event stream until `until` appears in it. */
async function readStream(url: string, until: string): Promise<{ type: string | null; text: string }> {
  const ac = new AbortController();
  const res = await fetch(url, { signal: ac.signal });
  const reader = res.body!.getReader();
  let text = '';
  while (!text.includes(until)) text += new TextDecoder().decode((await reader.read()).value);
  ac.abort();
  return { type: res.headers.get('content-type'), text };
}

describe('live server', () => {
  let server: LiveServer | undefined;
  afterEach(async () => server?.close());

  it('replays the history to a late page, keeping only the latest timeline of a drill, then streams new events', async () => {
    const hub = new LiveHub();
    server = await startLiveServer({ port: 0, hub, metrics: createRunMetrics().registry, page: '<p>page</p>' });
    hub.publish({ type: 'plan', drill: 'd' });
    hub.publish({ type: 'timeline', drill: 'd', n: 1 });
    hub.publish({ type: 'timeline', drill: 'd', n: 2 });
    const late = await readStream(`${server.url}events`, '"n":2');
    expect(late.type).toMatch(/^text\/event-stream/);
    expect(late.text).toContain('"type":"plan"');
    expect(late.text).not.toContain('"n":1');
    const live = readStream(`${server.url}events`, '"type":"finding"');
    await new Promise((ok) => setTimeout(ok, 50));
    hub.publish({ type: 'finding', drill: 'd' });
    expect((await live).text).toMatch(/id: 4\ndata: \{"type":"finding","drill":"d"\}/);
    expect(await (await fetch(server.url)).text()).toBe('<p>page</p>');
  });

  it('serves /metrics in the Prometheus text format and only report files from the report directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'firedrill-live-server-'));
    await writeFile(join(dir, 'report.html'), '<h1>report</h1>');
    await writeFile(join(dir, 'secret.txt'), 'no');
    server = await startLiveServer({ port: 0, hub: new LiveHub(), metrics: createRunMetrics().registry, reportDir: dir });
    const metrics = await fetch(`${server.url}metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await metrics.text()).toContain('# HELP firedrill_events_generated_total');
    expect(await (await fetch(`${server.url}report/report.html`)).text()).toBe('<h1>report</h1>');
    expect((await fetch(`${server.url}report/secret.txt`)).status).toBe(404);
    expect((await fetch(`${server.url}report/..%2F..%2Fetc%2Fpasswd.html`)).status).toBe(404);
    expect((await fetch(`${server.url}nothing`)).status).toBe(404);
  });

  it('says clearly when its port is taken', async () => {
    const hub = new LiveHub();
    server = await startLiveServer({ port: 0, hub, metrics: createRunMetrics().registry });
    const port = Number(new URL(server.url).port);
    await expect(startLiveServer({ port, hub: new LiveHub(), metrics: createRunMetrics().registry })).rejects.toThrow(/port \d+ is taken[\s\S]*--serve 8081/);
  });
});
