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

  it('reads pre-auth probes by meaning: a client gone before it authenticated, a failed handshake, a peer turned away', () => {
    for (const line of [
      'Connection closed by 198.51.100.23 port 50022 [preauth]',
      'Connection reset by authenticating user root 198.51.100.23 port 1558 [preauth]',
      'Disconnected from authenticating user admin 198.51.100.23 port 33553 [preauth]',
      'Received disconnect from 198.51.100.23 port 58846:11: Bye Bye [preauth]',
      'fatal: Timeout before authentication for 198.51.100.23 port 50022',
      'Did not receive identification string from 198.51.100.23 port 35836',
      "Bad protocol version identification 'GET / HTTP/1.1' from 198.51.100.23 port 31778",
      'error: kex_exchange_identification: banner line too long',
      'Unable to negotiate with 198.51.100.23 port 55419: no matching key exchange method found. Their offer: diffie-hellman-group1-sha1',
      'fatal: no matching cipher found: client aes128-cbc server aes256-gcm@openssh.com',
      'refused connect from 198.51.100.23 (198.51.100.23)',
    ]) expect(messageClasses(line), line).toContain('auth-probe');
    // A session that ends after sign-in, a connection accepted, a client's version announced: ordinary.
    for (const line of [
      'Received disconnect from 10.0.1.20 port 50022:11: disconnected by user',
      'Disconnected from 10.0.1.20 port 50022',
      'Connection closed by 192.0.2.1',
      'pam_unix(sshd:session): session closed for user ec2-user',
      'Connection from 192.0.2.10 port 62004 on 192.0.2.10 port 22',
      'Postponed publickey for git from 192.0.2.1 port 57904 ssh2 [preauth]',
      'SSH: Server;Ltype: Version;Remote: 127.0.0.1-1780;Protocol: 2.0;Client: libssh2_1.4.3',
      'GET /api/v2/protocol/version 200 3ms',
      'ERROR failed to load banner image /static/banner.png',
    ]) expect(messageClasses(line), line).not.toContain('auth-probe');
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

  it('a pre-auth probe on a host that hears from nobody counts as a failed sign-in', () => {
    const week = 10 * 24 * 60;
    const probe = sshd(T0 + week * W + 2000, { kind: 'other', detail: 'Did not receive identification string from 198.51.100.23 port 35836' });
    const f = run([[0, [ordinary(0)]], [week, [probe]]]);
    expect(f.map((x) => [x.kind, x.method, x.entities.instance])).toEqual([['ec2-ssh-bruteforce', 'auth:sparse-failures@ec2', 'i-0123456789abcdef0']]);
  });

  it('a host whose hum is probes (internet-facing) has a rate: one more probe is nothing', () => {
    const probe = (m: number) => sshd(T0 + m * W + 2000, { kind: 'other', detail: `Connection closed by 198.51.100.${m % 200} port 50022 [preauth]` });
    const minutes: [number, NormalizedRecord[]][] = [];
    for (let m = 0; m < 3 * 60; m++) minutes.push([m, m % 3 ? [ordinary(m)] : [ordinary(m), probe(m)]]);
    expect(run(minutes).filter((f) => f.method.startsWith('auth:'))).toEqual([]);
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
