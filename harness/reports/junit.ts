import type { DrillScorecard } from '../evaluate/types.ts';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

interface Case {
  name: string;
  failure?: string;
  /** The drill could not be judged (JUnit's `<error>`, not a `<failure>`). */
  error?: { message: string; type: string };
}

/** Every expectation of a drill becomes one JUnit test case, so CI systems show exactly which one failed. */
function casesOf(card: DrillScorecard): Case[] {
  if (card.error) return [{ name: 'drill ran to the end', error: { message: card.error.message, type: card.error.type } }];
  const cases: Case[] = [];
  for (const inc of card.incidents) {
    const detectFailure = inc.failures.filter((f) => f.startsWith('not detected') || f.includes(' detected after ')).join('\n') || undefined;
    cases.push({ name: `${inc.id}: ${inc.kind} detected`, failure: detectFailure });
    if (inc.rootCauseCorrect !== undefined) {
      cases.push({ name: `${inc.id}: root cause`, failure: inc.failures.find((f) => f.includes('root')) });
    }
    if (inc.remediation) {
      cases.push({ name: `${inc.id}: remediation verified`, failure: inc.failures.filter((f) => f.startsWith('remediation')).join('\n') || undefined });
    }
  }
  cases.push({
    name: `false positives within budget (${card.falsePositiveBudget})`,
    failure: card.falsePositives > card.falsePositiveBudget ? `${card.falsePositives} false positive(s): ${card.falsePositiveFindings.map((f) => `${f.kind}: ${f.summary}`).join('; ')}` : undefined,
  });
  if (card.ledger) cases.push({ name: 'delivery ledger balances', failure: card.ledger.balanced ? undefined : JSON.stringify(card.ledger.totals) });
  return cases;
}

export function toJUnit(cards: DrillScorecard[]): string {
  const suites = cards.map((card) => {
    const cases = casesOf(card);
    const failures = cases.filter((c) => c.failure).length;
    const body = cases
      .map((c) => {
        const open = `    <testcase classname="firedrill.${esc(card.scenarioId)}" name="${esc(c.name)}" time="0">`;
        if (c.error) return `${open}\n      <error type="${esc(c.error.type)}" message="${esc(c.error.message.split('\n')[0] ?? '')}">${esc(c.error.message)}</error>\n    </testcase>`;
        return c.failure ? `${open}\n      <failure message="${esc(c.failure.split('\n')[0] ?? '')}">${esc(c.failure)}</failure>\n    </testcase>` : `${open}</testcase>`;
      })
      .join('\n');
    const errors = cases.filter((c) => c.error).length;
    return `  <testsuite name="${esc(card.scenarioId)}" tests="${cases.length}" failures="${failures}" errors="${errors}" time="${(card.wallSeconds ?? 0).toFixed(3)}">\n${body}\n  </testsuite>`;
  });
  const total = cards.reduce((n, c) => n + casesOf(c).length, 0);
  const failed = cards.reduce((n, c) => n + casesOf(c).filter((x) => x.failure).length, 0);
  const errored = cards.reduce((n, c) => n + casesOf(c).filter((x) => x.error).length, 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="firedrill" tests="${total}" failures="${failed}" errors="${errored}">\n${suites.join('\n')}\n</testsuites>\n`;
}
