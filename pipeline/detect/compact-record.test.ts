import { describe, expect, it } from 'vitest';
import type { NormalizedRecord } from '../../formats/index.ts';
import { candidateFrom, SAMPLE_LINE_CHARS } from './candidate.ts';
import { RecordCompactor, SAMPLE_ONLY_MESSAGE } from './compact-record.ts';
import { TEXT_SOURCES } from './generic-detectors.ts';
import { completeEntities } from './log-group-entities.ts';

/** A record as a curated line parses: lineage first, then the record. */
function parsed(r: Partial<NormalizedRecord> & Pick<NormalizedRecord, 'source' | 'message'>): NormalizedRecord {
  return JSON.parse(JSON.stringify({ dedupeKey: 'ab12', rawObject: 'cd34', id: 'e1', time: 1000, logGroup: '/aws/x', logStream: 's1', entities: { ip: '203.0.113.9' }, fields: { action: 'BLOCK', n: 3, ok: true, none: null }, ...r })) as NormalizedRecord;
}

describe('RecordCompactor', () => {
  it('keeps what the detector reads and drops the lineage and the log stream', () => {
    const c = new RecordCompactor();
    const r = c.compact(parsed({ source: 'app', message: 'ERROR db down' }));
    expect(r).toEqual({ id: 'e1', source: 'app', time: 1000, logGroup: '/aws/x', entities: { ip: '203.0.113.9' }, fields: { action: 'BLOCK', n: 3, ok: true, none: null }, message: 'ERROR db down' });
    expect(Object.keys(r)).not.toContain('logStream');
    expect(c.compact(parsed({ source: 'app', message: 'x', logGroup: undefined })).logGroup).toBeUndefined();
  });

  it('holds entities completed as detectWindow reads them, so that completing them again adds nothing', () => {
    const c = new RecordCompactor({ 'eni-0abc': 'i-0123' });
    const vpc = c.compact(parsed({ source: 'vpcflow', message: '2 123 eni-0abc …', logGroup: '/vpc/flows', entities: { eni: 'eni-0abc', ip: '10.0.0.5' } }));
    expect(vpc.entities).toEqual({ eni: 'eni-0abc', ip: '10.0.0.5', instance: 'i-0123' });
    const fn = c.compact(parsed({ source: 'lambda', message: 'START', logGroup: '/aws/lambda/orders', entities: {} }));
    expect(fn.entities).toEqual({ function: 'orders' });
    // A record naming its own instance keeps it; one of an ENI the inventory does not know gains nothing.
    expect(c.compact(parsed({ source: 'vpcflow', message: 'x', entities: { eni: 'eni-0abc', instance: 'i-own' } })).entities).toEqual({ eni: 'eni-0abc', instance: 'i-own' });
    expect(c.compact(parsed({ source: 'vpcflow', message: 'x', entities: { eni: 'eni-0zzz' } })).entities).toEqual({ eni: 'eni-0zzz' });
    for (const r of [vpc, fn]) expect(completeEntities(r, { 'eni-0abc': 'i-0123' })).toBe(r.entities);
  });

  it('cuts a sample-only message to exactly the sample line a candidate keeps, lone surrogates and all', () => {
    const long = `{"x":"${'a'.repeat(SAMPLE_LINE_CHARS - 7)}\ud800tail${'b'.repeat(2000)}"}`;
    const c = new RecordCompactor();
    for (const source of SAMPLE_ONLY_MESSAGE) {
      const whole = parsed({ source, message: long });
      const kept = c.compact(parsed({ source, message: long }));
      expect(kept.message).toBe(long.slice(0, SAMPLE_LINE_CHARS));
      expect(candidateFrom([kept], { kind: 'waf-http-flood', primary: 'ip', entities: {}, score: 1, method: 'm', summary: 's', features: {} }).sampleLines)
        .toEqual(candidateFrom([whole], { kind: 'waf-http-flood', primary: 'ip', entities: {}, score: 1, method: 'm', summary: 's', features: {} }).sampleLines);
    }
  });

  it('keeps whole the messages a detector reads: text sources, and generic lines of any source', () => {
    const long = 'x'.repeat(3 * SAMPLE_LINE_CHARS);
    const c = new RecordCompactor();
    for (const source of TEXT_SOURCES) expect(c.compact(parsed({ source, message: long })).message).toBe(long);
    for (const source of SAMPLE_ONLY_MESSAGE) expect(c.compact(parsed({ source, message: long, fields: { shape: 'generic', text: long } })).message).toBe(long);
  });

  it('cuts an EKS audit event or token review to its sample line and keeps the EKS lines the miner reads whole', () => {
    const long = `{"kind":"Event","apiVersion":"audit.k8s.io/v1",${'"x":"y",'.repeat(SAMPLE_LINE_CHARS)}"z":1}`;
    const c = new RecordCompactor();
    for (const logType of ['audit', 'authenticator']) {
      expect(c.compact(parsed({ source: 'eks', message: long, fields: { logType, verb: 'get' } })).message).toBe(long.slice(0, SAMPLE_LINE_CHARS));
    }
    for (const logType of ['api', 'container', 'kubelet']) {
      expect(c.compact(parsed({ source: 'eks', message: long, fields: { logType, text: 'x' } })).message).toBe(long);
    }
    // A line its format could not read is text only, whatever it claims.
    expect(c.compact(parsed({ source: 'eks', message: long, fields: { shape: 'generic', logType: 'audit' } })).message).toBe(long);
  });

  it('names only structured sources as sample-only (a text source is mined whole)', () => {
    for (const source of SAMPLE_ONLY_MESSAGE) expect(TEXT_SOURCES).not.toContain(source);
  });
});
