import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTruthManifest } from '../../generators/index.ts';
import { buildProgram } from '../main.ts';
import { generateEvents, resolveGenerateOptions, writeGenerated, writeGeneratedBytes } from './generate.ts';

describe('firedrill generate', () => {
  it('validates flags with messages that say what was expected', () => {
    expect(() => resolveGenerateOptions({ source: 'nope', count: '1' })).toThrow(/expected: waf \| vpcflow/);
    expect(() => resolveGenerateOptions({ source: 'waf' })).toThrow(/--count N or --duration/);
    expect(() => resolveGenerateOptions({ source: 'waf', count: '5', rate: 'fast' })).toThrow(/2000\/s/);
    expect(() => resolveGenerateOptions({ source: 'waf', count: '5', mode: 'waf-http-flood', out: '-' })).toThrow(/--truth/);
    const o = resolveGenerateOptions({ source: 'vpcflow', duration: '10m', rate: '2000/s', out: 'x.log', option: ['aggregationSeconds=60', 'format=${srcaddr} ${dstaddr}'] });
    expect(o).toMatchObject({ durationMs: 600_000, rate: 2000, truth: 'x.log.truth.ndjson', options: { aggregationSeconds: 60, format: '${srcaddr} ${dstaddr}' } });
  });
  it('is registered and parses its flags', () => {
    const cmd = buildProgram().commands.find((c) => c.name() === 'generate');
    expect(cmd?.options.map((o) => o.long)).toEqual(expect.arrayContaining(['--source', '--mode', '--count', '--duration', '--rate', '--seed', '--out', '--truth']));
  });
  it('writes the same bytes for the same seed, with a truth manifest beside the output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gen-'));
    const run = async (name: string) => {
      const opts = resolveGenerateOptions({ source: 'waf', mode: 'waf-credential-stuffing', count: '3000', rate: '50/s', seed: '9', out: join(dir, name) });
      return { s: await writeGenerated(generateEvents(opts), opts), text: readFileSync(join(dir, name), 'utf8'), truth: readFileSync(`${join(dir, name)}.truth.ndjson`, 'utf8') };
    };
    const a = await run('a.log');
    const b = await run('b.log');
    expect(a.text).toBe(b.text);
    expect(a.truth).toBe(b.truth);
    expect(a.s.events).toBe(3000);
    const truth = parseTruthManifest(a.truth);
    expect(truth.length).toBe(a.s.truthEntries);
    expect(truth.length).toBeGreaterThan(100);
    expect(truth.every((t) => t.kind === 'waf-credential-stuffing' && t.source === 'waf')).toBe(true);
    expect(a.text).not.toContain('credential-stuffing');
  });
  it('writes background-only native lines through the bytes path, byte for byte what the event path writes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gen-'));
    for (const [source, extra] of [['vpcflow', {}], ['vpcflow', { option: ['format=${version} ${interface-id} ${srcaddr} ${dstaddr} ${pkt-srcaddr} ${flow-direction} ${start} ${end} ${action}'] }], ['waf', {}]] as const) {
      const flags = { source, count: '5000', rate: '400/s', seed: '11', ...extra };
      const viaBytes = resolveGenerateOptions({ ...flags, out: join(dir, `${source}-bytes.log`) });
      const viaEvents = resolveGenerateOptions({ ...flags, out: join(dir, `${source}-events.log`) });
      const s = await writeGeneratedBytes(viaBytes);
      await writeGenerated(generateEvents(viaEvents), viaEvents);
      expect(s?.events).toBe(5000);
      expect(readFileSync(viaBytes.out, 'utf8')).toBe(readFileSync(viaEvents.out, 'utf8'));
    }
    // Incidents and wrapped shapes keep the event path.
    expect(await writeGeneratedBytes(resolveGenerateOptions({ source: 'waf', count: '5', out: '/dev/null', as: 'firehose' }))).toBeUndefined();
  });
  it('refuses a mode that does not write the source', () => {
    const opts = resolveGenerateOptions({ source: 'vpcflow', mode: 'waf-http-flood', count: '5', out: '/dev/null' });
    expect(() => generateEvents(opts)).toThrow(/does not write vpcflow/);
  });
});
