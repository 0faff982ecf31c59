import { describe, expect, it } from 'vitest';
import type { Observation } from '../observe/index.ts';
import { namesEntities, tokenIndex } from './entities.ts';
import { DEFAULT_MATCHING, inIncidentTime, observationDetects, observationExplains, type MatchIncident } from './match-observation.ts';
import { namesRoot } from './root-cause.ts';

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const W0 = Date.UTC(2026, 10, 21, 9, 0, 0); // wall time of the run: another day than the event time

const flood: MatchIncident = { id: 'flood', kind: 'waf-http-flood', window: { start: T0 + 60_000, end: T0 + 300_000 }, entities: { ip: '198.51.100.7', webAcl: 'acl-main' }, wallStart: W0 };

function obs(over: Partial<Observation>): Observation {
  return { tap: 't', id: 'o', observedAt: W0 + 5_000, entities: [], text: '', raw: {}, ...over };
}

describe('planted values on token boundaries', () => {
  it('finds an address as a whole token, not inside a longer one', () => {
    expect(tokenIndex('blocked 10.0.1.1, 10.0.1.12', '10.0.1.12')).toBe(18);
    expect(tokenIndex('src=10.0.1.12 dst=x', '10.0.1.1')).toBe(-1);
    expect(tokenIndex('"ip":"10.0.1.1"}', '10.0.1.1')).toBe(6);
    expect(tokenIndex('instance i-0abc123 stopped', 'i-0abc')).toBe(-1);
    expect(tokenIndex('arn:aws:iam::1:user/alice', 'alice')).toBe(20);
  });

  it('matches an unmapped finding by what it wrote, case-insensitively', () => {
    const raw = { message: 'Rate limit exceeded for client 198.51.100.7 on ACL-MAIN', count: 9000 };
    expect(namesEntities({ ip: '198.51.100.7' }, obs({ raw, text: JSON.stringify(raw) }))).toBe(true);
    expect(namesEntities({ ip: '198.51.100.71' }, obs({ raw, text: JSON.stringify(raw) }))).toBe(false);
    expect(namesEntities({ webAcl: 'acl-main' }, obs({ raw }))).toBe(true);
  });

  it('leaves values under four characters to the mapped entities (a country code is in any text)', () => {
    expect(namesEntities({ country: 'KP' }, obs({ raw: { note: 'kp' } }))).toBe(false);
    expect(namesEntities({ country: 'KP' }, obs({ entities: ['KP'] }))).toBe(true);
  });
});

describe('the incident’s time', () => {
  it('uses the event time the SUT states, with the skew before and the grace after', () => {
    expect(inIncidentTime(flood, obs({ claimedTime: T0 }), DEFAULT_MATCHING)).toBe(true); // onset − 60 s
    expect(inIncidentTime(flood, obs({ claimedTime: T0 - 1 }), DEFAULT_MATCHING)).toBe(false);
    expect(inIncidentTime(flood, obs({ claimedTime: T0 + 600_000 }), DEFAULT_MATCHING)).toBe(true); // end + 5 min
    expect(inIncidentTime(flood, obs({ claimedTime: T0 + 600_001 }), DEFAULT_MATCHING)).toBe(false);
    expect(inIncidentTime(flood, obs({ claimedTime: T0 + 600_001 }), { ...DEFAULT_MATCHING, graceMs: 600_000 })).toBe(true);
  });

  it('lets a stated span overlap the window (a finding raised before onset that goes on)', () => {
    expect(inIncidentTime(flood, obs({ firstSeen: T0 - 300_000, lastSeen: T0 + 90_000, claimedTime: T0 - 240_000 }), DEFAULT_MATCHING)).toBe(true);
  });

  it('without a stated time, places the finding by wall time: after the first delivery, before the drill’s end', () => {
    const s = { ...DEFAULT_MATCHING, wallEnd: W0 + 60_000 };
    expect(inIncidentTime(flood, obs({ observedAt: W0 + 5_000 }), s)).toBe(true);
    expect(inIncidentTime(flood, obs({ observedAt: W0 - 61_000 }), s)).toBe(false);
    expect(inIncidentTime(flood, obs({ observedAt: W0 + 61_000 }), s)).toBe(false);
    // The transport's stamp wins over when firedrill happened to poll.
    expect(inIncidentTime(flood, obs({ observedAt: W0 + 3_600_000, arrivedAt: W0 + 2_000 }), s)).toBe(true);
  });
});

describe('kinds: used when they are firedrill’s, never required', () => {
  const about = { raw: { ip: '198.51.100.7' }, claimedTime: T0 + 90_000 };
  it('a finding without a kind detects by entity and time alone', () => {
    expect(observationDetects(flood, obs(about), DEFAULT_MATCHING)).toBe(true);
  });
  it('a kind in the SUT’s own words does not constrain (an ASFF type)', () => {
    expect(observationDetects(flood, obs({ ...about, kind: 'TTPs/Impact/DoS' }), DEFAULT_MATCHING)).toBe(true);
  });
  it('a firedrill kind that does not detect the incident neither detects nor is explained by it', () => {
    const o = obs({ ...about, kind: 's3-mass-delete' });
    expect(observationDetects(flood, o, DEFAULT_MATCHING)).toBe(false);
    expect(observationExplains(flood, o, DEFAULT_MATCHING)).toBe(false);
  });
  it('a firedrill kind that detects it does (vpc-ddos for a WAF flood)', () => {
    expect(observationDetects(flood, obs({ ...about, kind: 'vpc-ddos' }), DEFAULT_MATCHING)).toBe(true);
  });
});

describe('root cause: the head of the chain names the true root', () => {
  it('by its identifier or a service word of its source, the first word that names anything deciding', () => {
    expect(namesRoot('rds:firedrill-orders-db connection exhaustion', 'rds:firedrill-orders-db')).toBe(true);
    expect(namesRoot('Database connection pool exhausted', 'rds:mydb')).toBe(true);
    expect(namesRoot('postgres: too many clients already (mydb)', 'rds:mydb')).toBe(true);
    expect(namesRoot('mydb refuses connections', 'rds:mydb')).toBe(true);
    expect(namesRoot('app:checkout DB errors', 'rds:firedrill-orders-db')).toBe(false);
    expect(namesRoot('ecs:checkout task restarts', 'app:checkout')).toBe(false);
    expect(namesRoot('checkout returns 500s', 'app:checkout')).toBe(true);
    expect(namesRoot('something went wrong', 'rds:mydb')).toBe(false);
  });
});
