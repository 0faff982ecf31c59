import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { emulatorEndpoint } from '../../test/support/emulator-endpoint.ts';
import { runDrill } from '../../harness/drill/index.ts';
import { seedSutFile } from '../../test/support/run-seed-sut.ts';

/**
 * The seed systems on the drills they were built for (examples/seeds/drills), through `firedrill run --sut` as the
 * leaderboard runs them: seed-004 on its own cascade in its own groups and words, seed-002 on an application log
 * file delivered to its bucket. Each scorecard is what the seed's logic deserves, misses and false alarms included.
 */
const endpoint = emulatorEndpoint();
const drill = (id: string) => fileURLToPath(new URL(`./drills/${id}.yaml`, import.meta.url));
// First use builds the SUT's venv (scikit-learn for 002): minutes on a cold machine, once.
const SLOW = 900_000;

describe('seed drills', () => {
  it('seed-004 finds its RCA line on its own cascade: detected by its groups, RDS at the head of the chain, no remediation', { timeout: SLOW }, async () => {
    const { card } = await runDrill(drill('rds-app-ecs-cascade-mydb'), { endpoint, sut: seedSutFile('seed-004') });
    const cascade = card.incidents.find((i) => i.id === 'cascade')!;
    expect(cascade).toMatchObject({ detected: true, rootCauseCorrect: true, rootCauseObserved: ['RCA: RDS max connections exceeded', 'app timeouts', 'ECS restarts'] });
    // It states no event time: detected in wall time, from the delivery of the cascade's first line.
    expect(cascade.timeToDetectSeconds).toBeNull();
    expect(cascade.wallTimeToDetectSeconds).toBeGreaterThan(0);
    // It remediates nothing: both outcomes read back unchanged.
    expect(cascade.remediation).toMatchObject({ planned: false, executed: false, verified: false, expected: 2 });
    expect(card.falsePositives).toBe(0);
    expect(card.passed).toBe(false);
  });

  it('seed-002 flags the database error spell in the uploaded log file, and the rare WARNING / ERROR lines of ordinary traffic too', { timeout: SLOW }, async () => {
    const { card } = await runDrill(drill('app-log-file-errors'), { endpoint, sut: seedSutFile('seed-002') });
    const spell = card.incidents.find((i) => i.id === 'db-errors')!;
    // It states each line's own time: the first flagged line of the spell is its first line.
    expect(spell).toMatchObject({ detected: true, timeToDetectSeconds: 0 });
    // Everything it flags is a rare severity, whatever caused it: 4xx WARNINGs and ordinary 5xx ERRORs are false alarms.
    expect(card.falsePositives).toBeGreaterThan(0);
    expect(new Set(card.falsePositiveFindings.map((f) => f.kind))).toEqual(new Set(['WARNING', 'ERROR']));
    expect(card.falsePositiveFindings.every((f) => / (4\d\d|5\d\d) \d+ms /.test(f.summary) || f.summary.includes('payment authorization failed'))).toBe(true);
    expect(card.ledger?.balanced).toBe(true);
    expect(card.passed).toBe(false);
  });
});
