import type { DrillScorecard } from '../evaluate/types.ts';
import { explanationsLine } from './terminal.ts';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

interface Case {
  name: string;
  failure?: string;
  /** The drill could not be judged (JUnit's `<error>`, not a `<failure>`). */
  error?: { message: string; type: string };
  /** `unsupported on this target: …`: the target lacks a service the expectation needs; neither passed nor failed. */
  skipped?: string;
  /** Shown beside the case (`<system-out>`): the explanation attached to the detection. */
  out?: string;
}

/**
 * Every expectation of a drill becomes one JUnit test case, so CI systems show exactly which one failed; one the
 * target cannot run is a skipped case whose message says which service it lacks.
 */
function casesOf(card: DrillScorecard): Case[] {
  if (card.error) return [{ name: 'drill ran to the end', error: { message: card.error.message, type: card.error.type } }];
  const cases: Case[] = [];
  for (const inc of card.incidents) {
    const detectFailure = inc.failures.filter((f) => f.startsWith('not detected') || f.includes(' detected after ')).join('\n') || undefined;
    const detectSkipped = inc.unsupported.filter((u) => u.includes(': detecting ')).join('\n') || undefined;
    const e = inc.explanation;
    const out = e ? `explanation (${e.correct ? 'right' : 'wrong'}, class ${e.failureClass ?? 'none'}): ${e.text}` : undefined;
    cases.push({ name: `${inc.id}: ${inc.kind} detected`, ...(detectSkipped && !detectFailure ? { skipped: detectSkipped } : { failure: detectFailure }), ...(out ? { out } : {}) });
    if (inc.rootCauseCorrect !== undefined) {
      cases.push({ name: `${inc.id}: root cause`, failure: inc.failures.find((f) => f.includes('root')) });
    }
    if (inc.remediation && inc.remediation.expected > 0) {
      cases.push({ name: `${inc.id}: remediation verified`, failure: inc.failures.filter((f) => f.startsWith('remediation')).join('\n') || undefined });
    }
    for (const u of inc.remediation?.unsupported ?? []) cases.push({ name: `${inc.id}: remediation ${u.outcome}`, skipped: u.reason });
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
        // JUnit's schema puts <system-out> after the result element.
        const out = c.out ? `\n      <system-out>${esc(c.out)}</system-out>` : '';
        if (c.error) return `${open}\n      <error type="${esc(c.error.type)}" message="${esc(c.error.message.split('\n')[0] ?? '')}">${esc(c.error.message)}</error>${out}\n    </testcase>`;
        if (c.failure) return `${open}\n      <failure message="${esc(c.failure.split('\n')[0] ?? '')}">${esc(c.failure)}</failure>${out}\n    </testcase>`;
        if (c.skipped) return `${open}\n      <skipped message="${esc(c.skipped.split('\n')[0] ?? '')}"/>${out}\n    </testcase>`;
        return out ? `${open}${out}\n    </testcase>` : `${open}</testcase>`;
      })
      .join('\n');
    const errors = cases.filter((c) => c.error).length;
    // Written only when there are some, as JUnit's own writers do.
    const skipped = cases.filter((c) => c.skipped && !c.failure).length;
    const props = [
      ...(card.target ? [`      <property name="target" value="${esc(card.target.target)}"/>`] : []),
      ...(card.explanations && card.explanations.detected > 0 ? [`      <property name="explanations" value="${esc(explanationsLine(card.explanations))}"/>`] : []),
    ];
    const target = props.length ? `\n    <properties>\n${props.join('\n')}\n    </properties>` : '';
    return `  <testsuite name="${esc(card.scenarioId)}" tests="${cases.length}" failures="${failures}" errors="${errors}"${skipped ? ` skipped="${skipped}"` : ''} time="${(card.wallSeconds ?? 0).toFixed(3)}">${target}\n${body}\n  </testsuite>`;
  });
  const all = cards.flatMap(casesOf);
  const failed = all.filter((x) => x.failure).length;
  const errored = all.filter((x) => x.error).length;
  const skipped = all.filter((x) => x.skipped && !x.failure).length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="firedrill" tests="${all.length}" failures="${failed}" errors="${errored}"${skipped ? ` skipped="${skipped}"` : ''}>\n${suites.join('\n')}\n</testsuites>\n`;
}
