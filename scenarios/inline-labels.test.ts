import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FAIL2BAN_LABEL, splitInlineLabels } from './inline-labels.ts';
import { readRecording, replayEvents, timeRecording } from './replay.ts';
import { inlineLabelWindows } from './replay-labels.ts';

const data = (name: string) => fileURLToPath(new URL(`./testdata/replay/${name}`, import.meta.url));
const START = Date.parse('2026-11-21T12:00:00Z');
const window = { start: START, end: START + 30 * 60_000 };
const cwl = { kind: 'cwl' as const, logGroup: '/firedrill/ec2/secure', logStream: 'replay' };
const tmpFile = (name: string, text: string) => {
  const f = join(mkdtempSync(join(tmpdir(), 'inline-labels-')), name);
  writeFileSync(f, text);
  return f;
};

describe('inline labels of raw lines', () => {
  it("fail2ban's `# failJSON:` comments label the next line; every comment is dropped, not replayed", () => {
    const rec = readRecording(data('sshd-failjson.log'), 'auto', 'ec2');
    expect(rec.map((r) => [r.line, r.label ?? '-'])).toEqual([
      [4, '-'],
      [6, '-'], // match: false
      [8, FAIL2BAN_LABEL],
      [10, FAIL2BAN_LABEL], // a constraint (filter mode) is not evaluated
      [11, '-'], // no comment above it
      [14, FAIL2BAN_LABEL], // the comment holds across a blank line
    ]);
    expect(rec.every((r) => !r.message.startsWith('#'))).toBe(true);
  });

  it('a label column (Loghub BGL style): `-` is ordinary, any other first token an alert, and the token is cut', () => {
    const rec = readRecording(data('bgl-label-column.log'), 'native', 'app', { labelColumn: true });
    expect(rec.map((r) => r.label ?? '-')).toEqual(['-', '-', 'KERNDTLB', '-']);
    expect(rec[2]!.message).toMatch(/^1795255500 2026\.11\.21 R23-M0-NE-C:J05-U01 .* RAS KERNEL FATAL data TLB error interrupt$/);
    // The epoch seconds that lead a BGL line (once its label is cut) are its time.
    expect(rec.map((r) => r.time)).toEqual([1795255200_000, 1795255230_000, 1795255500_000, 1795255800_000]);
    // Without `labelColumn` the first token is part of the line, and nothing is a label.
    const unlabelled = readRecording(data('bgl-label-column.log'), 'native', 'app');
    expect(unlabelled.map((r) => [r.label, r.message.split(' ')[0]])).toEqual([[undefined, '-'], [undefined, '-'], [undefined, 'KERNDTLB'], [undefined, '-']]);
  });

  it('labels never reach the pipeline: replayed messages hold neither the comments nor the label tokens', () => {
    const f2b = [...replayEvents({ file: data('sshd-failjson.log'), format: 'auto', speed: 1, loop: false, source: 'ec2', window, dest: cwl, keepStreams: false })];
    expect(f2b).toHaveLength(6);
    expect(f2b.some((e) => /failJSON|filterOptions|^#/.test(e.message))).toBe(false);
    expect(f2b.every((e) => !e.label)).toBe(true);
    const recorded = readRecording(data('app-label-column.log'), 'native', 'app', { labelColumn: true });
    const col = [...replayEvents({ file: 'unused', recorded, format: 'native', speed: 1, loop: false, source: 'app', window, dest: { ...cwl, logGroup: '/ecs/checkout' }, keepStreams: false })];
    expect(col.map((e) => e.message.split(' ')[0])).toEqual(['2026-11-21', '2026-11-21', '2026-11-21', '2026-11-21', '2026-11-21']);
    expect(col.some((e) => /DBERR|^- /.test(e.message))).toBe(false);
  });

  it('labelled lines become label windows of the kind the drill names; an incident-kind label is its own kind', () => {
    const timed = timeRecording(readRecording(data('sshd-failjson.log'), 'auto', 'ec2'), START, 1);
    const w = inlineLabelWindows(timed.lines, { labelKind: 'ec2-ssh-bruteforce' });
    // 10:03:05 and 10:03:07 are one window (within a minute); 10:08:40 another.
    expect(w.map((x) => [x.kind, (x.start - timed.t0) / 1000, (x.end - timed.t0) / 1000])).toEqual([
      ['ec2-ssh-bruteforce', 185, 187],
      ['ec2-ssh-bruteforce', 520, 520],
    ]);
    expect(inlineLabelWindows([{ time: 1, message: 'x', label: 'vpc-port-scan' }])).toEqual([{ kind: 'vpc-port-scan', start: 1, end: 1, entities: {} }]);
  });

  it('a corpus tag without `labelKind` is an error that says what to set, naming the line', () => {
    const timed = timeRecording(readRecording(data('bgl-label-column.log'), 'native', 'app', { labelColumn: true }), START, 1);
    expect(() => inlineLabelWindows(timed.lines, { file: 'bgl.log' })).toThrow(/bgl\.log: line 3 is labelled `KERNDTLB`, which names no incident kind/);
    try {
      inlineLabelWindows(timed.lines, { file: 'bgl.log' });
    } catch (e) {
      expect((e as { fix?: string }).fix).toMatch(/labelKind/);
    }
  });

  it('malformed labels are clear errors: a line without its label column, a failJSON that is not JSON or has no match', () => {
    expect(() => splitInlineLabels('x.log', ['- ok line', 'KERNDTLB'], [1, 2], { labelColumn: true })).toThrow(/x\.log line 2 has no label column/);
    expect(() => readRecording(tmpFile('bad.log', '# failJSON: { "match": tru }\nNov 21 10:00:00 h sshd[1]: x\n'), 'native', 'ec2')).toThrow(/line 1: a `# failJSON:` label that is not JSON/);
    expect(() => readRecording(tmpFile('nomatch.log', '# failJSON: { "time": "2026-11-21T10:00:00" }\nNov 21 10:00:00 h sshd[1]: x\n'), 'native', 'ec2')).toThrow(/without `match`/);
    expect(() => readRecording(tmpFile('both.log', '# failJSON: { "match": true }\n- Nov 21 10:00:00 h sshd[1]: x\n'), 'native', 'ec2', { labelColumn: true })).toThrow(/one label shape per recording|also says/);
    expect(() => readRecording(data('filter-log-events.json'), 'auto', 'app', { labelColumn: true })).toThrow(/label column[\s\S]*`label` field/);
  });

  it("a failJSON's time is the line's when the line states none, read as UTC", () => {
    const rec = readRecording(tmpFile('t.log', '# failJSON: { "time": "2005-06-07T01:10:56", "match": true }\nno time in this line\n'), 'native', 'app');
    expect(rec).toEqual([{ time: Date.UTC(2005, 5, 7, 1, 10, 56), message: 'no time in this line', line: 2, label: FAIL2BAN_LABEL }]);
  });

  it('a file without label shapes is read as it always was (a `#` line of an ordinary log is a line)', () => {
    const rec = readRecording(tmpFile('plain.log', '# not a label\n2025-12-28 10:00:01 ERROR Database connection failed\n'), 'native', 'app');
    expect(rec.map((r) => [r.message, r.label])).toEqual([['# not a label', undefined], ['2025-12-28 10:00:01 ERROR Database connection failed', undefined]]);
  });
});
