import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { emulatorEndpoint } from '../../test/support/emulator-endpoint.ts';
import { runDrill } from '../../harness/drill/index.ts';
import { listCatalog } from '../../scenarios/index.ts';

/**
 * keyword-counter (a deliberately weak Python function on a schedule, alarming on its own SNS topic) drilled
 * through the SUT contract: the Python runtime path end to end (its own venv, boto3 against the emulator). Its
 * scorecards are what counting alarming words per log group deserves.
 */
const endpoint = emulatorEndpoint();
const sut = fileURLToPath(new URL('./firedrill.sut.yaml', import.meta.url));
const drill = (id: string) => listCatalog().find((c) => c.id === id)!.file;

interface Alarm {
  logGroup: string;
  count: number;
  threshold: number;
}

describe('example SUT: keyword-counter (Python, scheduled, alarms on SNS)', () => {
  it('on bad-day: misses the WAF flood, the SSH brute force and the leaked key; catches the cascade by its error storm, without a root cause', async () => {
    const { card, plan } = await runDrill(drill('bad-day'), { endpoint, sut });
    expect(Object.fromEntries(card.incidents.map((i) => [i.id, i.detected]))).toEqual({ flood: false, brute: false, cascade: true, leak: false });
    const cascade = card.incidents.find((i) => i.id === 'cascade')!;
    // Its alarm covers the minute that ends one minute after the onset.
    expect(cascade.timeToDetectSeconds).toBe(60);
    expect(cascade.rootCauseCorrect).toBe(false);
    // Every alarm is about the database's or the application's group, within the cascade: none is unexplained.
    const alarms = card.findings.map((f) => f.raw as Alarm);
    const db = plan.incidents.find((i) => i.id === 'cascade')!.entities.database!;
    expect(new Set(alarms.map((a) => a.logGroup))).toEqual(new Set([`/aws/rds/instance/${db}/postgresql`, `/ecs/${plan.estate.ecs.serviceName}`]));
    for (const a of alarms) expect(a.count).toBeGreaterThan(a.threshold);
    expect(card.falsePositives).toBe(0);
    expect(card.findings.every((f) => f.explains.join() === 'cascade')).toBe(true);
    expect(card.recall).toBe(0.25);
  }, 300_000);

  it('on ec2-disk-full: alarms on the hosts\' syslog without naming a host, so it misses the incident and every alarm is a false positive', async () => {
    const { card } = await runDrill(drill('ec2-disk-full'), { endpoint, sut });
    expect(card.incidents.map((i) => i.detected)).toEqual([false]);
    const alarms = card.findings.map((f) => f.raw as Alarm);
    expect(alarms.length).toBeGreaterThan(0);
    expect(new Set(alarms.map((a) => a.logGroup))).toEqual(new Set(['/firedrill/ec2/messages']));
    expect(card.falsePositives).toBe(alarms.length);
    expect(card.precision).toBe(0);
    expect(card.failures).toContainEqual(expect.stringMatching(/false positive\(s\), budget/));
  }, 300_000);
});
