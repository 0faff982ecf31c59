import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GeneratedEvent, TruthEntry } from '../types.ts';
import { eventKey, lineHash, parseTruthManifest, splitTruth, writeEventsWithTruth } from './truth.ts';

const dest = { kind: 'cwl', logGroup: '/firedrill/vpc/flow-logs', logStream: 'eni-0abc-all' } as const;
const events: GeneratedEvent[] = [
  { time: 1000, source: 'vpcflow', dest, message: 'a b c' },
  { time: 2000, source: 'vpcflow', dest, message: 'd e f', label: { incidentId: 'i1', kind: 'vpc-port-scan' } },
];

describe('truth', () => {
  it('keys events by destination, time and a hash of the line', () => {
    expect(eventKey(dest, 2000, 'd e f')).toBe(`cwl:/firedrill/vpc/flow-logs:eni-0abc-all@2000#${lineHash('d e f')}`);
    expect(lineHash('d e f')).toMatch(/^[0-9a-f]{16}$/);
  });
  it('splits labels off: wire events carry no label, truth gets one entry per labelled event', () => {
    const truth: TruthEntry[] = [];
    const wire = [...splitTruth(events, (t) => truth.push(t))];
    expect(wire.map((w) => Object.keys(w).sort())).toEqual([['dest', 'message', 'source', 'time'], ['dest', 'message', 'source', 'time']]);
    expect(wire.map((w) => w.message)).toEqual(['a b c', 'd e f']);
    expect(truth).toEqual([{ incidentId: 'i1', kind: 'vpc-port-scan', source: 'vpcflow', time: 2000, eventKey: eventKey(dest, 2000, 'd e f') }]);
  });
  it('writes lines and an NDJSON manifest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'truth-'));
    const res = await writeEventsWithTruth(events, join(dir, 'out.log'), join(dir, 'out.log.truth.ndjson'));
    expect(res).toEqual({ events: 2, chars: 12, truthEntries: 1 });
    expect(readFileSync(join(dir, 'out.log'), 'utf8')).toBe('a b c\nd e f\n');
    expect(parseTruthManifest(readFileSync(join(dir, 'out.log.truth.ndjson'), 'utf8'))[0]?.incidentId).toBe('i1');
  });
});
