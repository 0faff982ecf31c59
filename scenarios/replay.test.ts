import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultTopology, syntheticEstate } from '../core/topology/index.ts';
import { compile } from './compile.ts';
import { validateScenario } from './load-scenario.ts';
import { lineTime, readRecording, replayEvents, shiftLine } from './replay.ts';
import { fakeRegistry } from './testdata/fake-generators.ts';

const data = (name: string) => fileURLToPath(new URL(`./testdata/replay/${name}`, import.meta.url));
const START = Date.parse('2026-11-21T10:00:00Z');
const window = { start: START, end: START + 10 * 60_000 };
const cwl = { kind: 'cwl' as const, logGroup: '/ecs/checkout', logStream: 'replay' };

describe('replay', () => {
  it('reads the times native lines state', () => {
    expect(lineTime('2026-11-20 10:00:01.250 UTC:10.0.11.23(1):app@orders:[1]:LOG:  x', 'rds')).toBe(Date.parse('2026-11-20T10:00:01.250Z'));
    expect(lineTime('{"timestamp":1763632800000,"formatVersion":1}', 'waf')).toBe(1763632800000);
    expect(lineTime('2 123456789012 eni-0a 10.0.1.5 1.2.3.4 443 5555 6 10 840 1763632800 1763632860 ACCEPT OK', 'vpcflow')).toBe(1763632800000);
    expect(lineTime('Nov 20 10:00:05 ip-10-0-1-10 sshd[123]: Failed password', 'ec2')! - lineTime('Nov 20 10:00:00 ip-10-0-1-10 sshd[1]: x', 'ec2')!).toBe(5000);
    expect(lineTime('no time here', 'app')).toBeUndefined();
  });

  it('shifts embedded timestamps in their own format', () => {
    expect(shiftLine('2026-11-20 10:00:01.250 UTC:h:LOG: x', 'rds', 60_000)).toBe('2026-11-20 10:01:01.250 UTC:h:LOG: x');
    expect(shiftLine('at 2025-11-20T10:00:00.000Z and 2025-11-20T23:59:59Z', 'app', 1000)).toBe('at 2025-11-20T10:00:01.000Z and 2025-11-21T00:00:00Z');
    expect(shiftLine('{"timestamp":1763632800000}', 'waf', 5)).toBe('{"timestamp":1763632800005}');
    expect(shiftLine('Nov 30 23:59:59 host sshd[1]: x', 'ec2', 1000)).toBe('Dec  1 00:00:00 host sshd[1]: x');
    expect(shiftLine('2 1 eni-0a 10.0.1.5 1.2.3.4 443 5555 6 10 840 1763632800 1763632860 ACCEPT OK', 'vpcflow', 60_000)).toBe('2 1 eni-0a 10.0.1.5 1.2.3.4 443 5555 6 10 840 1763632860 1763632920 ACCEPT OK');
  });

  it('re-times native lines onto the drill clock, keeping gaps', () => {
    const events = [...replayEvents({ file: data('rds-native.log'), format: 'auto', speed: 1, loop: false, source: 'rds', window, dest: cwl, keepStreams: true })];
    expect(events.map((e) => e.time - START)).toEqual([0, 1250, 30_000, 60_000]);
    expect(events[1]!.message.startsWith('2026-11-21 10:00:01.250 UTC:')).toBe(true);
    expect(events.every((e) => !e.label && e.source === 'rds')).toBe(true);
  });

  it('reads `aws logs filter-log-events` JSON, keeps the stream names, and compresses time with speed', () => {
    expect(readRecording(data('filter-log-events.json'), 'auto', 'app')).toHaveLength(3);
    const events = [...replayEvents({ file: data('filter-log-events.json'), format: 'cloudwatch-export', speed: 2, loop: false, source: 'app', window, dest: cwl, keepStreams: true })];
    expect(events.map((e) => e.time - START)).toEqual([0, 5000, 35_000]);
    expect(events.map((e) => (e.dest.kind === 'cwl' ? e.dest.logStream : ''))).toEqual(['ecs/checkout/aaaa', 'ecs/checkout/bbbb', 'ecs/checkout/aaaa']);
    expect(events[2]!.message).toContain('"2026-11-21T10:00:35Z"');
  });

  it('loops to fill the window and never passes its end', () => {
    const events = [...replayEvents({ file: data('rds-native.log'), format: 'native', speed: 1, loop: true, source: 'rds', window, dest: cwl, keepStreams: false })];
    expect(events.length).toBeGreaterThan(4 * 8);
    expect(events.every((e) => e.time >= window.start && e.time < window.end)).toBe(true);
    for (let i = 1; i < events.length; i++) expect(events[i]!.time).toBeGreaterThanOrEqual(events[i - 1]!.time);
  });

  it('explains a file that is not a CloudWatch export', () => {
    expect(() => readRecording(data('rds-native.log'), 'cloudwatch-export', 'rds')).toThrow(/not a CloudWatch Logs export line[\s\S]*format: native/);
  });

  it('plugs into a scenario as a background stream, with a path relative to the scenario file', () => {
    const scenario = validateScenario(
      {
        id: 'replayed',
        title: 'Replayed',
        description: 'a recorded RDS log behind a generated flood',
        seed: 3,
        start: '2026-11-21T10:00:00Z',
        duration: '10m',
        phases: { warmup: '5m' },
        background: [{ source: 'rds', replay: { file: 'replay/rds-native.log', loop: true } }, { source: 'waf', rate: '60/m' }],
        expect: {},
      },
      { now: Date.parse('2026-11-21T11:00:00Z') },
    );
    const plan = compile(scenario, syntheticEstate(defaultTopology()), { generators: fakeRegistry(), file: fileURLToPath(new URL('./testdata/drill.yaml', import.meta.url)) });
    expect(plan.streams[0]).toEqual({ name: 'background/rds', kind: 'replay', sources: ['rds'] });
    const rds = [...plan.events()].filter((e) => e.source === 'rds');
    expect(rds.length).toBeGreaterThan(30);
    expect(rds[0]!.dest).toEqual({ kind: 'cwl', logGroup: '/aws/rds/instance/firedrill-orders-db/postgresql', logStream: 'replay' });
  });
});
