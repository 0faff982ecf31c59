import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FormatError } from '../core/errors.ts';
import { classifyEc2, ec2Format, ec2Hostname, formatSyslogTime, parseEc2, serializeEc2, type Ec2Record } from './ec2.ts';

const secure = { logGroup: '/firedrill/ec2/secure', logStream: 'i-0abc1234def567890', timestamp: Date.UTC(2025, 11, 10, 7) };
const messages = { ...secure, logGroup: '/firedrill/ec2/messages' };

describe('ec2 format', () => {
  it('parses documented sshd / pam lines (AWS-FORMATS.md, OpenSSH and sshguard signature samples)', () => {
    const cases: [string, string, string | null, string | null][] = [
      ['Dec 10 06:55:48 ip-10-0-1-5 sshd[24200]: Failed password for invalid user admin from 173.234.31.186 port 38926 ssh2', 'ssh-failed', 'admin', '173.234.31.186'],
      ['Apr 10 18:05:22 webserver sshd[5010]: Failed password for root from 198.51.100.7 port 37291 ssh2', 'ssh-failed', 'root', '198.51.100.7'],
      ['Apr 10 18:05:23 webserver sshd[5011]: Invalid user admin from 198.51.100.7 port 37292', 'ssh-invalid-user', 'admin', '198.51.100.7'],
      ['Apr 10 18:01:15 webserver sshd[5001]: Accepted publickey for deploy from 10.0.0.5 port 44321 ssh2: RSA SHA256:abc123def456ghi789', 'ssh-accepted', 'deploy', '10.0.0.5'],
      ['Apr 10 18:10:00 webserver sshd[5000]: Disconnected from user alice 203.0.113.42 port 55123', 'other', 'alice', '203.0.113.42'],
      ['Apr 10 18:00:02 webserver sshd[5000]: pam_unix(sshd:session): session opened for user alice by (uid=0)', 'other', 'alice', null],
      ['Jun  2 09:01:07 ip-10-0-1-10 sshd[3113]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=218.92.0.112  user=root', 'pam-failure', 'root', '218.92.0.112'],
      ['Jun  2 09:01:07 ip-10-0-1-10 sshd[3113]: PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=218.92.0.112  user=root', 'pam-failure', 'root', '218.92.0.112'],
    ];
    for (const [line, kind, user, rhost] of cases) {
      const r = parseEc2(line, secure);
      expect(serializeEc2(r)).toBe(line);
      expect(classifyEc2(r)).toMatchObject({ kind, user, rhost });
    }
  });

  it('parses messages lines: kernel OOM killer, disk full, systemd', () => {
    const oom = parseEc2('Dec 10 06:58:01 ip-10-0-1-10 kernel: Out of memory: Killed process 4242 (java) total-vm:4005632kB, anon-rss:1843212kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:4012kB oom_score_adj:0', messages);
    expect(oom.pid).toBeNull();
    expect(classifyEc2(oom).kind).toBe('oom-kill');
    expect(classifyEc2(parseEc2('Dec 10 06:58:01 ip-10-0-1-10 systemd-journald[412]: Failed to write entry (9 items, 512 bytes), ignoring: No space left on device', messages)).kind).toBe('disk-full');
    expect(classifyEc2(parseEc2('Dec 10 06:58:01 ip-10-0-1-10 systemd[1]: Started Session 12 of user ec2-user.', messages))).toMatchObject({ kind: 'systemd', user: 'ec2-user' });
    expect(classifyEc2(parseEc2('Dec 10 06:58:01 ip-10-0-1-10 postfix/postdrop[2211]: warning: mail_queue_enter: create file maildrop/671382.2211: No space left on device', messages)).kind).toBe('disk-full');
  });

  it('takes the missing year from the CloudWatch timestamp, across New Year', () => {
    const r = parseEc2('Dec 31 23:59:59 ip-10-0-1-10 CROND[1]: (root) CMD (run-parts /etc/cron.hourly)', { ...messages, timestamp: Date.UTC(2026, 0, 1, 0, 0, 2) });
    expect(r.time).toBe(Date.UTC(2025, 11, 31, 23, 59, 59));
    expect(r.stream).toBe('messages');
  });

  it('normalizes to the contract fields', () => {
    const r = parseEc2('Feb  6 00:00:38 ip-10-0-1-10 sshd[9]: Failed password for root from 45.8.1.2 port 40000 ssh2', secure);
    const n = ec2Format.normalize(r, secure);
    expect(n.entities).toEqual({ host: 'ip-10-0-1-10', instance: 'i-0abc1234def567890', ip: '45.8.1.2' });
    expect(n.fields).toEqual({ stream: 'secure', host: 'ip-10-0-1-10', program: 'sshd', pid: 9, kind: 'ssh-failed', user: 'root', rhost: '45.8.1.2', port: 40000, detail: 'Failed password for root from 45.8.1.2 port 40000 ssh2', level: null });
  });

  it("reads the level a program wrote before its message when there is no journal priority (OpenSSH's error: / fatal:)", () => {
    const level = (msg: string) => ec2Format.normalize(parseEc2(`Feb  6 00:00:38 ip-10-0-1-10 sshd[9]: ${msg}`, secure), secure).fields.level;
    expect(level('error: PAM: Authentication failure for alice from host.example.com')).toBe('ERROR');
    expect(level('fatal: Read from socket failed: Connection reset by peer [preauth]')).toBe('FATAL');
    expect(level('Disconnecting: Too many authentication failures [preauth]')).toBeNull();
    expect(level('pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=45.8.1.2')).toBeNull();
  });

  it('rejects non-syslog lines with what it expected', () => {
    expect(() => parseEc2('2026-05-01T00:00:00Z host sshd: x')).toThrow(FormatError);
    expect(() => parseEc2('2026-05-01T00:00:00Z host sshd: x')).toThrow(/expected: 'Mmm dd/);
    expect(() => parseEc2('Feb 06 00:00:38 host sshd[1]: zero-padded day is not RFC 3164')).toThrow(FormatError);
  });

  it('formats RFC 3164 time with a space-padded day and the EC2 hostname', () => {
    expect(formatSyslogTime(Date.UTC(2026, 1, 6, 0, 0, 38))).toBe('Feb  6 00:00:38');
    expect(formatSyslogTime(Date.UTC(2026, 11, 10, 6, 55, 48))).toBe('Dec 10 06:55:48');
    expect(ec2Hostname('10.0.1.10')).toBe('ip-10-0-1-10');
  });

  it('round-trips any record (property)', () => {
    const rec: fc.Arbitrary<Ec2Record> = fc.record({
      stream: fc.constantFrom('secure' as const, 'messages' as const),
      time: fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }).map((t) => Math.floor(t / 1000) * 1000),
      host: fc.stringMatching(/^ip-\d{1,3}-\d{1,3}-\d{1,3}-\d{1,3}$/),
      program: fc.constantFrom('sshd', 'kernel', 'systemd', 'CROND', 'postfix/postdrop'),
      pid: fc.option(fc.integer({ min: 1, max: 4194304 }), { nil: null }),
      message: fc.stringMatching(/^[\x21-\x7e][\x20-\x7e]{0,80}$/),
    });
    fc.assert(fc.property(rec, (r) => {
      const line = serializeEc2(r);
      const origin = { logGroup: `/firedrill/ec2/${r.stream}`, timestamp: r.time + 5000 };
      expect(parseEc2(line, origin)).toEqual(r);
    }));
  });
});
