import { describe, expect, it } from 'vitest';
import { TemplateMiner, maskLine } from './template-miner.ts';

describe('maskLine', () => {
  it('masks numbers, IPs, hex, uuids, AWS ids and quoted strings', () => {
    const { masked, numbers } = maskLine(
      'user "bob smith" from 10.0.1.23:5432 req 3f2a1b4c-1d2e-4f3a-8b9c-0123456789ab instance i-0abc1234def567890 key AKIAABCDEFGHIJKLMNOP took 26.73 ms ptr 0xdeadbeef sha 9f86d081884c7d65',
    );
    expect(masked).toBe('user <STR> from <IP> req <UUID> instance <ID> key <ID> took <NUM> ms ptr <HEX> sha <HEX>');
    expect(numbers).toEqual([26.73]);
  });
  it('keeps words with digits that are not numbers', () => {
    expect(maskLine('port 22 ssh2').masked).toBe('port <NUM> ssh2');
    expect(maskLine('from 10.0.0.1 port 22').values).toEqual(['10.0.0.1', '22']);
  });
});

describe('TemplateMiner', () => {
  const lines = (n: number) => Array.from({ length: n }, (_, i) => [
    `Failed password for user${i % 7} from 203.0.113.${i % 200} port ${40000 + i} ssh2`,
    `Accepted publickey for ec2-user from 10.0.1.${i % 50} port ${50000 + i} ssh2`,
    `connection received: host=10.0.1.${i % 9} port=${1000 + i}`,
    `checkpoint complete: wrote ${i} buffers (${(i / 10).toFixed(1)}%)`,
  ]).flat();

  it('clusters variants of a line into one stable template', () => {
    const m = new TemplateMiner();
    for (const l of lines(200)) m.add(l);
    expect(m.size).toBe(4);
    const r = m.add('Failed password for admin from 198.51.100.7 port 1234 ssh2');
    expect(r.isNew).toBe(false);
    expect(m.templateText(r.templateId)).toBe('Failed password for <*> from <IP> port <NUM> ssh2');
  });

  it('reports new patterns', () => {
    const m = new TemplateMiner();
    for (const l of lines(50)) m.add(l);
    const r = m.add('FATAL:  sorry, too many clients already');
    expect(r.isNew).toBe(true);
    expect(m.add('FATAL:  sorry, too many clients already').isNew).toBe(false);
  });

  it('is deterministic and its state survives a JSON round trip', () => {
    const a = new TemplateMiner();
    const b = new TemplateMiner();
    for (const l of lines(100)) {
      a.add(l);
      b.add(l);
    }
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const restored = new TemplateMiner(JSON.parse(JSON.stringify(a.toJSON())));
    const more = lines(120).slice(400);
    for (const l of more) expect(restored.add(l).templateId).toBe(a.add(l).templateId);
    expect(JSON.stringify(restored)).toBe(JSON.stringify(a));
  });
});
