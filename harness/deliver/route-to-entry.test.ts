import { describe, expect, it } from 'vitest';
import type { WireEvent } from './types.ts';
import { routeToEntry } from './route-to-entry.ts';

const cwl = (source: WireEvent['source'], logStream: string): WireEvent => ({ time: 1, source, dest: { kind: 'cwl', logGroup: '/firedrill/x', logStream }, message: 'm' });
const none = { logGroups: {}, firehose: {}, kinesis: {}, buckets: {} };

describe('routeToEntry', () => {
  it('leaves every event where the builtin topology sends it when the SUT names no entry point', () => {
    const e = cwl('rds', 's');
    expect(routeToEntry(none)(e)).toBe(e);
  });

  it("sends a source to the SUT's own log group, firehose stream or bucket; other sources keep their destination", () => {
    const route = routeToEntry({ ...none, logGroups: { rds: ['/aws/rds/instance/mydb/postgresql'] }, firehose: { ec2: 'mine' }, buckets: { app: { bucket: 'b', prefix: 'p/' } } });
    expect(route(cwl('rds', 'db-1')).dest).toEqual({ kind: 'cwl', logGroup: '/aws/rds/instance/mydb/postgresql', logStream: 'db-1' });
    expect(route(cwl('ec2', 'i-1')).dest).toEqual({ kind: 'firehose', deliveryStream: 'mine' });
    expect(route(cwl('app', 'a')).dest).toEqual({ kind: 's3', bucket: 'b', prefix: 'p/' });
    expect(route(cwl('ecs', 'c')).dest).toEqual({ kind: 'cwl', logGroup: '/firedrill/x', logStream: 'c' });
  });

  it('splits a source over several groups by stream, a stream always to the same group', () => {
    const route = routeToEntry({ ...none, logGroups: { app: ['/a', '/b'] } });
    const streams = Array.from({ length: 40 }, (_, i) => `stream-${i}`);
    const groups = streams.map((s) => (route(cwl('app', s)).dest as { logGroup: string }).logGroup);
    expect(new Set(groups)).toEqual(new Set(['/a', '/b']));
    expect(streams.map((s) => (route(cwl('app', s)).dest as { logGroup: string }).logGroup)).toEqual(groups);
  });

  it("puts a source on the SUT's Kinesis stream, named by its own log group when it declares one, else the estate's", () => {
    const route = routeToEntry({ ...none, kinesis: { vpcflow: 'flows', ec2: 'auth' }, logGroups: { ec2: ['/mine/secure'] } });
    expect(route(cwl('vpcflow', 'eni-1-all')).dest).toEqual({ kind: 'kinesis', stream: 'flows', logGroup: '/firedrill/x', logStream: 'eni-1-all' });
    expect(route(cwl('ec2', 'i-1')).dest).toEqual({ kind: 'kinesis', stream: 'auth', logGroup: '/mine/secure', logStream: 'i-1' });
  });
});
