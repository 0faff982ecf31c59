import pc from 'picocolors';
import type { DrillScorecard } from '../evaluate/types.ts';

/** A rate, or n/a when the scorecard claims none (unlabelled truth). */
const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
const secs = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${x.toFixed(0)} s`);

/** The scorecard as a person reads it in a terminal (colours only when the stream is a TTY). */
export function renderScorecard(card: DrillScorecard, color = process.stdout.isTTY === true): string {
  const c = color ? pc : pc.createColors(false);
  const mark = (ok: boolean) => (ok ? c.green('✔') : c.red('✘'));
  const lines: string[] = [];
  if (card.error) {
    lines.push(`${c.red('!')} ${c.bold(card.scenarioId)} — did not run to the end (${card.error.type})`);
    for (const l of card.error.message.split('\n')) lines.push(`      ${c.red(l)}`);
    return lines.join('\n');
  }
  const skip = c.yellow('◌');
  // An unlabelled card neither passed nor failed detection: nothing was compared with a truth.
  const head = card.unlabelled ? (card.passed ? skip : mark(false)) : mark(card.passed);
  lines.push(`${head} ${c.bold(card.scenarioId)} — ${card.title} (seed ${card.seed}${card.wallSeconds !== undefined ? `, ${card.wallSeconds.toFixed(1)} s` : ''})`);
  if (card.target) {
    const lacking = card.target.services.filter((s) => !s.supported).map((s) => s.service);
    lines.push(`  target ${card.target.target}: ${lacking.length ? `${c.yellow(`${lacking.join(', ')} unsupported`)}, the rest supported` : 'every service supported'}`);
  }
  for (const inc of card.incidents) {
    const parts = [`detected ${inc.detected ? 'yes' : 'no'}`, `ttd ${secs(inc.timeToDetectSeconds)}`];
    if (inc.wallTimeToDetectSeconds !== null) parts.push(`wall ttd ${secs(inc.wallTimeToDetectSeconds)}`);
    if (inc.rootCauseCorrect !== undefined) parts.push(`root cause ${inc.rootCauseCorrect ? 'right' : 'wrong'}${inc.rootCauseObserved ? ` (${inc.rootCauseObserved.join(' → ')})` : ''}`);
    if (inc.remediation && inc.remediation.expected > 0) {
      const r = inc.remediation;
      parts.push(`remediation planned ${r.planned ? 'yes' : 'no'} → executed ${r.executed ? 'yes' : 'no'} → verified ${r.verified ? 'yes' : 'no'}`, `ttr ${secs(r.timeToRemediateSeconds)}`);
    } else if (inc.remediation) {
      parts.push(c.yellow('remediation unsupported on this target'));
    }
    lines.push(`  ${mark(inc.passed)} ${inc.id} [${inc.kind}] ${parts.join(' · ')}`);
    for (const f of inc.failures) lines.push(`      ${c.red(f)}`);
    for (const u of inc.unsupported) lines.push(`      ${skip} ${c.yellow(u)}`);
    if (inc.explanation) {
      const e = inc.explanation;
      const verdict = e.correct ? c.green('right') : c.yellow(`wrong (${[!e.rootNamed && 'root not named', e.classCorrect === false && `class not ${e.expectedClasses.join(' or ')}`].filter(Boolean).join(', ')})`);
      lines.push(`      explanation ${verdict} [${e.failureClass ?? 'no class'}]: ${c.dim(e.text)}`);
    }
  }
  if (card.unlabelled) {
    // With no incident at all there was nothing to find: say so rather than let "0 false positives" read as a pass.
    const what = card.incidents.length === 0 ? 'unlabelled: nothing was tested (no ground truth for this data)' : 'unlabelled truth: detection by kind and time only';
    lines.push(`  ${c.yellow(`${what}; no precision or recall claimed`)}`);
  }
  const fp = card.unlabelled && card.incidents.length === 0 ? 'n/a' : `${card.falsePositives}/${card.falsePositiveBudget}`;
  lines.push(`  precision ${pct(card.precision)} · recall ${pct(card.recall)} · F1 ${pct(card.f1)} · false positives ${fp} · findings ${card.findingsTotal}`);
  if (card.explanations && card.explanations.detected > 0) lines.push(`  ${explanationsLine(card.explanations)}`);
  for (const fp of card.falsePositiveFindings.slice(0, 5)) lines.push(`      ${c.yellow(`false positive: ${fp.kind} — ${fp.summary}`)}`);
  if (card.ledger) {
    const t = card.ledger.totals;
    const order = ['generated', 'accepted', 'rejected', 'replayed', 'landed', 'normalized', 'quarantined', 'duplicates'];
    // replayed shows only when a request was stored twice (a lost answer): it is 0 in an ordinary run.
    const text = order.filter((k) => k in t && (k !== 'replayed' || t[k]! > 0)).map((k) => `${k} ${t[k]}`).join(' → ');
    lines.push(`  ledger ${card.ledger.balanced ? c.green('balanced') : c.red('UNBALANCED')}: ${text}`);
  }
  return lines.join('\n');
}

/** The scorecard's explanations line, e.g. `explanations 3/4 right (root named 4, class right 3) · 1 detected without one`. */
export function explanationsLine(x: NonNullable<DrillScorecard['explanations']>): string {
  const none = x.detected - x.explained;
  return `explanations ${x.correct}/${x.explained} right (root named ${x.rootNamed}, class right ${x.classCorrect})${none ? ` · ${none} detected without one` : ''}`;
}

export function renderSummary(cards: DrillScorecard[], color = process.stdout.isTTY === true): string {
  const c = color ? pc : pc.createColors(false);
  const passed = cards.filter((x) => x.passed).length;
  const errored = cards.filter((x) => x.error).length;
  const unsupported = cards.reduce((n, x) => n + x.unsupported.length, 0);
  const text = `${passed}/${cards.length} drill(s) passed${errored ? `, ${errored} did not run to the end` : ''}${unsupported ? `, ${unsupported} expectation(s) unsupported on this target` : ''}`;
  return passed === cards.length ? c.green(text) : c.red(text);
}
