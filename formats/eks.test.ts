import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FormatError } from '../core/index.ts';
import { containerStreamName, eksFormat, eksStreamName, goJson, parseEks, rfc3339Ms, serializeEks, type EksRecord } from './eks.ts';
import { klogTime, parseKlog, parseKlogStructured, serializeKlog, structuredMessage, type KlogLine } from './eks-klog.ts';
import { logrusLine, parseLogrus, serializeLogrus } from './eks-logrus.ts';
import { workloadOfPod } from './eks-kube-names.ts';
import type { LineOrigin } from './types.ts';

interface ConformanceRow {
  from: string;
  logGroup: string;
  logStream: string;
  timestamp: number;
  message: string;
  expect: { time?: number; fields?: Record<string, unknown>; entities?: Record<string, string> };
}

const dir = new URL('./testdata/conformance/eks/', import.meta.url).pathname;
const rows: { file: string; row: ConformanceRow }[] = readdirSync(dir)
  .filter((f) => f.endsWith('.jsonl'))
  .flatMap((file) => readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean).map((l) => ({ file, row: JSON.parse(l) as ConformanceRow })));

describe('eks format: AWS and Kubernetes documented lines (testdata/conformance/eks)', () => {
  it('has lines of every stream type', () => {
    expect(new Set(rows.map((r) => r.file))).toEqual(new Set(['audit.jsonl', 'authenticator.jsonl', 'container.jsonl', 'klog.jsonl']));
  });
  for (const { file, row } of rows) {
    it(`${file}: ${row.from}`, () => {
      const origin: LineOrigin = { logGroup: row.logGroup, logStream: row.logStream, timestamp: row.timestamp };
      const r = parseEks(row.message, origin);
      // Completely: every byte is accounted for, so writing the record again gives the line back.
      expect(serializeEks(r)).toBe(row.message);
      const n = eksFormat.normalize(r, origin);
      expect(Number.isFinite(n.time)).toBe(true);
      expect(Math.abs(n.time - row.timestamp)).toBeLessThan(1000);
      if (row.expect.time !== undefined) expect(n.time).toBe(row.expect.time);
      if (row.expect.fields) expect(n.fields).toMatchObject(row.expect.fields);
      if (row.expect.entities) expect(n.entities).toMatchObject(row.expect.entities);
      // The contract's field set is the same for every line type (docs/CONTRACTS.md).
      expect(Object.keys(n.fields).sort()).toEqual(Object.keys(eksFormat.normalize(parseEks(rows[0]!.row.message, { logGroup: rows[0]!.row.logGroup, logStream: rows[0]!.row.logStream }), {}).fields).sort());
      // Without an origin the shape is sniffed and still reads.
      expect(serializeEks(parseEks(row.message))).toBe(row.message);
    });
  }
});

describe('eks format: dispatch and errors', () => {
  const audit = rows.find((r) => r.file === 'audit.jsonl')!.row;
  it('dispatches on the stream name and refuses streams and groups of no EKS shape', () => {
    expect(parseEks(audit.message, { logGroup: '/aws/eks/c/cluster', logStream: eksStreamName('audit', 'a'.repeat(32)) }).kind).toBe('audit');
    expect(() => parseEks(audit.message, { logGroup: '/aws/eks/c/cluster', logStream: 'etcd-abc' })).toThrow(/not an EKS control-plane stream/);
    expect(() => parseEks(audit.message, { logGroup: '/ecs/checkout', logStream: 'x' })).toThrow(/not an EKS log group/);
    // An audit stream holding a klog line is damaged data, not a guess.
    expect(() => parseEks('I1025 00:15:15.525108       1 x.go:1] hi', { logGroup: '/aws/eks/c/cluster', logStream: eksStreamName('audit', 'a'.repeat(32)) })).toThrow(FormatError);
    expect(() => parseEks('{"kind":"Event","apiVersion":"v1"}', { logGroup: '/aws/eks/c/cluster', logStream: eksStreamName('audit', 'a'.repeat(32)) })).toThrow(/not a Kubernetes audit Event/);
    expect(() => parseEks('{"stream":"stdout"}', { logGroup: '/aws/containerinsights/c/application', logStream: 's' })).toThrow(/lacks a `log` string/);
    expect(() => parseEks('hello')).toThrow(/expected: an audit Event/);
  });

  it('names streams as EKS and Container Insights do', () => {
    expect(eksStreamName('controllerManager', '0'.repeat(32))).toBe(`kube-controller-manager-${'0'.repeat(32)}`);
    expect(containerStreamName('ip-10-0-11-23.ec2.internal', 'cart-7d9f8b6c5d-x2k4p', 'shop', 'cart', 'f'.repeat(64))).toBe(`ip-10-0-11-23.ec2.internal-application.var.log.containers.cart-7d9f8b6c5d-x2k4p_shop_cart-${'f'.repeat(64)}.log`);
  });

  it('writes JSON the way Go does: & < > escaped', () => {
    expect(goJson({ u: '/x?a=1&b=<2>' })).toBe('{"u":"/x?a=1\\u0026b=\\u003c2\\u003e"}');
    expect(JSON.parse(goJson({ u: 'a&b' }))).toEqual({ u: 'a&b' });
  });

  it('reads RFC 3339 times with micro- and nanoseconds', () => {
    expect(rfc3339Ms('2024-10-29T12:21:44.189258Z')).toBe(Date.UTC(2024, 9, 29, 12, 21, 44, 189));
    expect(rfc3339Ms('2016-10-06T00:17:09.669794202Z')).toBe(Date.UTC(2016, 9, 6, 0, 17, 9, 669));
    expect(rfc3339Ms('2022-05-26T18:55:30Z')).toBe(Date.UTC(2022, 4, 26, 18, 55, 30));
  });
});

describe('klog', () => {
  it('takes the missing year from the CloudWatch timestamp, across New Year', () => {
    const k = parseKlog('I1231 23:59:59.900000      10 x.go:1] bye');
    expect(klogTime(k, Date.UTC(2027, 0, 1, 0, 0, 1))).toBe(Date.UTC(2026, 11, 31, 23, 59, 59, 900));
    expect(klogTime(k, Date.UTC(2026, 11, 31, 23, 59, 59, 950))).toBe(Date.UTC(2026, 11, 31, 23, 59, 59, 900));
  });

  it('reads structured messages with quoted and %+v values', () => {
    expect(parseKlogStructured('"Recording status change event message for node" status="NodeNotReady" node="ip-10-0-11-23.ec2.internal"')).toEqual({
      msg: 'Recording status change event message for node', values: { status: 'NodeNotReady', node: 'ip-10-0-11-23.ec2.internal' },
    });
    expect(parseKlogStructured('"Too few replicas" replicaSet="shop/cart-7d9f8b6c5d" need=3 creating=1')?.values).toEqual({ replicaSet: 'shop/cart-7d9f8b6c5d', need: '3', creating: '1' });
    expect(parseKlogStructured('plain text')).toBeUndefined();
  });

  it('round-trips any header and message (property)', () => {
    const line: fc.Arbitrary<KlogLine> = fc.record({
      severity: fc.constantFrom('I' as const, 'W' as const, 'E' as const, 'F' as const),
      month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }), hour: fc.integer({ min: 0, max: 23 }), minute: fc.integer({ min: 0, max: 59 }), second: fc.integer({ min: 0, max: 59 }),
      micros: fc.integer({ min: 0, max: 999_999 }), threadId: fc.integer({ min: 1, max: 99_999_999 }), file: fc.stringMatching(/^[a-z_]{1,20}\.go$/), line: fc.integer({ min: 1, max: 9999 }),
      message: fc.string({ maxLength: 80 }),
    });
    fc.assert(fc.property(line, (k) => {
      expect(parseKlog(serializeKlog(k))).toEqual(k);
    }));
    fc.assert(fc.property(fc.string({ maxLength: 40 }), fc.array(fc.tuple(fc.stringMatching(/^[a-z][a-zA-Z]{0,10}$/), fc.string({ maxLength: 20 })), { maxLength: 5 }), (msg, kv) => {
      const s = parseKlogStructured(structuredMessage(msg, kv));
      expect(s?.msg).toBe(msg);
      for (const [k] of kv) expect(s?.values[k]).toBe([...kv].reverse().find(([key]) => key === k)![1]);
    }));
  });
});

describe('logrus (authenticator)', () => {
  it('sorts fields and quotes as logrus does', () => {
    const l = logrusLine('2026-05-01T12:00:00Z', 'info', 'access granted', { username: 'kubernetes-admin', groups: '[system:masters]', method: 'POST', arn: 'arn:aws:iam::1:user/a', session: '' });
    expect(serializeLogrus(l)).toBe('time="2026-05-01T12:00:00Z" level=info msg="access granted" arn="arn:aws:iam::1:user/a" groups="[system:masters]" method=POST session= username=kubernetes-admin');
    expect(parseLogrus(serializeLogrus(l))).toEqual(l);
    expect(() => parseLogrus('time="x" level=info')).toThrow(/time, level and msg are required/);
  });
});

describe('workloads from pod names', () => {
  it('strips the template hash and the random suffix, and nothing that is a word', () => {
    expect(workloadOfPod('cart-7d9f8b6c5d-x2k4p')).toBe('cart');
    expect(workloadOfPod('coredns-5d78c9869d-8xk2p')).toBe('coredns');
    expect(workloadOfPod('aws-node-x7k2p')).toBe('aws-node');
    expect(workloadOfPod('kube-proxy-x7k2p')).toBe('kube-proxy');
    expect(workloadOfPod('redis-0')).toBe('redis');
    expect(workloadOfPod('standalone')).toBe('standalone');
  });
});

describe('eks record round trip (property)', () => {
  it('any container record and any audit object serialize back to what parses', () => {
    const text = fc.string({ maxLength: 60 });
    fc.assert(fc.property(text, fc.constantFrom('stdout', 'stderr'), (log, stream) => {
      const r: EksRecord = { kind: 'container', record: { time: '2026-05-01T12:00:00.5Z', stream, _p: 'F', log, kubernetes: { pod_name: 'p', namespace_name: 'n' } } };
      const line = serializeEks(r);
      expect(parseEks(line, { logGroup: '/aws/containerinsights/c/application' })).toEqual(r);
    }));
    fc.assert(fc.property(text, (uri) => {
      const r: EksRecord = { kind: 'audit', event: { kind: 'Event', apiVersion: 'audit.k8s.io/v1', verb: 'get', requestURI: uri, stageTimestamp: '2026-05-01T12:00:00.000001Z' } };
      expect(parseEks(serializeEks(r), { logGroup: '/aws/eks/c/cluster', logStream: 'kube-apiserver-audit-x' })).toEqual(r);
    }));
  });
});
