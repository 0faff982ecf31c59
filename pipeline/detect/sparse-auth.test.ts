import { describe, expect, it } from 'vitest';
import type { NormalizedRecord } from '../../formats/index.ts';
import type { Finding } from '../../core/index.ts';
import { createDetectorState, detectWindow } from './detector.ts';
import { messageClasses } from './message-classes.ts';
import { ALPHA, poissonTail } from './sparse-auth.ts';
import { sshd } from './test-records.ts';

const T0 = Date.UTC(2025, 0, 6, 8, 0, 0);
const W = 60_000;

/** A host's secure log, fed window by window at the given minutes (the windows between hold nothing). */
function run(minutes: [number, NormalizedRecord[]][]): Finding[] {
  let state = createDetectorState();
  const created: Finding[] = [];
  for (const [m, rs] of minutes) {
    const start = T0 + m * W;
    const r = detectWindow(state, rs, { start, end: start + W }, { dependencies: [] });
    state = r.state;
    for (const ch of r.changes) if (ch.change === 'created') created.push(r.findings.find((f) => f.findingId === ch.findingId)!);
  }
  return created;
}
const ordinary = (m: number) => sshd(T0 + m * W + 1000, { kind: 'other', detail: 'Received disconnect from 10.0.1.20 port 50022:11: disconnected by user' });
const failed = (m: number, i = 0) => sshd(T0 + m * W + 2000 + i * 100, { kind: 'ssh-failed', user: 'admin', rhost: '198.51.100.23' });
const generic = (m: number, text: string) => ({ ...sshd(T0 + m * W + 3000, { kind: 'other' }), fields: { shape: 'generic', level: null, text } }) as NormalizedRecord;

describe('failed sign-ins where history is too sparse for a rate', () => {
  it('reads sign-in failures by meaning, whoever wrote them, and not validation or application errors', () => {
    for (const line of [
      'Failed password for invalid user admin from 198.51.100.23 port 50022 ssh2',
      'error: PAM: Authentication failure for alice from host.example.com',
      'ROOT LOGIN REFUSED FROM 198.51.100.23',
      'User root from 198.51.100.23 not allowed because not listed in AllowUsers',
      'Invalid user ftp from 198.51.100.23 port 37220',
      'Received disconnect from 198.51.100.23: 3: com.jcraft.jsch.JSchException: Auth fail',
      'WARN LoginService: login failed for user 42: bad credentials',
    ]) expect(messageClasses(line), line).toContain('auth-failure');
    for (const line of ['Invalid input from user 677', 'failed to update user record 42', 'Accepted publickey for git from 192.0.2.1 port 57904 ssh2', 'user 42 logged in']) {
      expect(messageClasses(line), line).not.toContain('auth-failure');
    }
  });

  it('Poisson tail: exact where it is known, no cancellation for a tiny rate', () => {
    expect(poissonTail(1, 0.5)).toBeCloseTo(1 - Math.exp(-0.5), 12);
    expect(poissonTail(2, 0.5)).toBeCloseTo(1 - Math.exp(-0.5) * 1.5, 12);
    expect(poissonTail(1, 1e-9)).toBeCloseTo(1e-9, 18);
    expect(poissonTail(0, 3)).toBe(1);
  });

  it('one failed password on a host that saw none for ten days is a finding on that host', () => {
    const week = 10 * 24 * 60;
    const f = run([[0, [ordinary(0)]], [60, [ordinary(60)]], [week, [ordinary(week), failed(week)]]]);
    expect(f.map((x) => [x.kind, x.method, x.primary, x.entities.instance, x.entities.ip])).toEqual([
      ['ec2-ssh-bruteforce', 'auth:sparse-failures@ec2', 'instance', 'i-0123456789abcdef0', '198.51.100.23'],
    ]);
    expect(f[0]!.evidence.features.poissonTail).toBeLessThanOrEqual(ALPHA);
  });

  it('a line the parser could not read counts by its meaning', () => {
    const week = 10 * 24 * 60;
    const f = run([[0, [ordinary(0)]], [week, [generic(week, 'error: PAM: Authentication failure for alice from host.example.com')]]]);
    expect(f.map((x) => x.method)).toEqual(['auth:sparse-failures@ec2']);
  });

  it('a short history is not evidence of quiet: one failure two hours after first sight, three after ten minutes', () => {
    expect(run([[0, [ordinary(0)]], [120, [failed(120)]]])).toEqual([]);
    expect(run(Array.from({ length: 11 }, (_, m): [number, NormalizedRecord[]] => [m, m < 10 ? [ordinary(m)] : [failed(m, 0), failed(m, 1), failed(m, 2)]]))).toEqual([]);
  });

  it('a host with a hum of failures has a rate: the rule stays silent and the signatures judge', () => {
    // One failure every other minute for three hours, then six in a minute: improbable for a Poisson rate of 0.5
    // (P ≈ 1e-5), but this host's failures come in bursts and its level is learned, so it is not this rule's call.
    const minutes: [number, NormalizedRecord[]][] = [];
    for (let m = 0; m < 3 * 60; m++) minutes.push([m, m % 2 ? [ordinary(m)] : [ordinary(m), failed(m)]]);
    const last = 3 * 60;
    minutes.push([last, Array.from({ length: 6 }, (_, i) => failed(last, i))]);
    expect(poissonTail(6, 0.5)).toBeLessThan(ALPHA);
    expect(run(minutes).filter((f) => f.method.startsWith('auth:'))).toEqual([]);
  });

  it('repeats on a sparse host are reported, not learned: the next one a day later fires again', () => {
    const week = 10 * 24 * 60;
    const day = 24 * 60;
    const f = run([[0, [ordinary(0)]], [week, [failed(week)]], [week + day, [failed(week + day)]]]);
    expect(f.map((x) => x.firstSeen)).toEqual([T0 + week * W + 2000, T0 + (week + day) * W + 2000]);
  });
});
