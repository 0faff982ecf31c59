import type { Comparison, ComparisonCell } from './comparison.ts';
import { totalsOf } from './comparison.ts';

/** A cell in a few words: `caught 1/1 · 0 FP · 42 s · root cause right · remediation verified`. */
export function cellText(cell: ComparisonCell | undefined, notRun?: string): string {
  if (!cell) return notRun ?? '—';
  if (cell.error) return `error: ${cell.error.split('\n')[0]!.slice(0, 80)}`;
  const total = cell.caught.length + cell.missed.length;
  const parts = [total ? `caught ${cell.caught.length}/${total}` : 'no incident', `${cell.falsePositives} FP`];
  if (cell.timeToDetectSeconds !== null) parts.push(`${cell.timeToDetectSeconds} s${cell.clock === 'wall' ? ' (wall)' : ''}`);
  if (cell.rootCause !== 'n/a') parts.push(`root cause ${cell.rootCause}`);
  if (cell.remediation !== 'n/a') parts.push(`remediation ${cell.remediation}`);
  return parts.join(' · ');
}

function escapeCell(s: string): string {
  return s.replaceAll('|', '\\|');
}

/** The matrix as a Markdown table (the terminal shows the same): drills down, SUTs across, totals last. */
export function comparisonMarkdown(c: Comparison): string {
  const head = `| drill | ${c.suts.map(escapeCell).join(' | ')} |`;
  const rule = `|---|${c.suts.map(() => '---').join('|')}|`;
  const rows = c.drills.map((d) => `| ${escapeCell(d)} | ${c.suts.map((s) => escapeCell(cellText(c.cells[d]?.[s], c.notRun?.[d]?.[s]))).join(' | ')} |`);
  const totals = totalsOf(c);
  const total = `| **total** | ${c.suts.map((s) => { const t = totals[s]!; return `**${t.caught}/${t.incidents} caught · ${t.falsePositives} FP · ${t.passed}/${t.drills} drills passed${t.errors ? ` · ${t.errors} errors` : ''}${t.notRun ? ` · ${t.notRun} not run` : ''}**`; }).join(' | ')} |`;
  return [head, rule, ...rows, total].join('\n');
}

function esc(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

/** One self-contained HTML page: the matrix, each cell coloured by passed / failed / error. */
export function comparisonHtml(c: Comparison, title = 'firedrill compare'): string {
  const totals = totalsOf(c);
  const td = (cell: ComparisonCell | undefined, notRun: string | undefined) => {
    const cls = !cell ? 'none' : cell.error ? 'error' : cell.passed ? 'pass' : 'fail';
    const missed = cell?.missed.length ? `<div class="missed">missed: ${esc(cell.missed.join(', '))}</div>` : '';
    return `<td class="${cls}">${esc(cellText(cell, notRun))}${missed}</td>`;
  };
  const rows = c.drills.map((d) => `<tr><th>${esc(d)}</th>${c.suts.map((s) => td(c.cells[d]?.[s], c.notRun?.[d]?.[s])).join('')}</tr>`).join('\n');
  const foot = `<tr><th>total</th>${c.suts.map((s) => { const t = totals[s]!; return `<td><b>${t.caught}/${t.incidents}</b> caught · ${t.falsePositives} FP · ${t.passed}/${t.drills} passed</td>`; }).join('')}</tr>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.4em .6em;vertical-align:top;text-align:left}
td.pass{background:#e8f6e8}td.fail{background:#fdecea}td.error{background:#fff4d6}td.none{color:#999}.missed{color:#a33;font-size:12px}</style></head>
<body><h1>${esc(title)}</h1><p>Each SUT on the same drills and the same ground truth: incidents caught, false positives, time to detect (event time unless marked wall), root cause, remediation.</p>
<table><thead><tr><th>drill</th>${c.suts.map((s) => `<th>${esc(s)}</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody><tfoot>${foot}</tfoot></table></body></html>
`;
}

/** JUnit: a test suite per SUT, a test case per drill; a failed drill is a <failure> naming its misses and false positives. */
export function comparisonJUnit(c: Comparison): string {
  const x = (s: string) => esc(s).replaceAll("'", '&apos;');
  const suites = c.suts.map((sut) => {
    const cases = c.drills.filter((d) => c.cells[d]?.[sut] || c.notRun?.[d]?.[sut] !== undefined).map((d) => {
      const cell = c.cells[d]?.[sut];
      if (!cell) return `    <testcase classname="${x(sut)}" name="${x(d)}"><skipped message="${x(c.notRun[d]![sut]!)}"/></testcase>`;
      const body = cell.error
        ? `<error message="${x(cell.error.split('\n')[0]!)}"/>`
        : cell.passed
          ? ''
          : `<failure message="${x(`missed: ${cell.missed.join(', ') || 'none'}; false positives: ${cell.falsePositives}`)}">${x(cellText(cell))}</failure>`;
      return `    <testcase classname="${x(sut)}" name="${x(d)}">${body}</testcase>`;
    });
    const failures = c.drills.filter((d) => { const cell = c.cells[d]?.[sut]; return cell && !cell.passed && !cell.error; }).length;
    const errors = c.drills.filter((d) => c.cells[d]?.[sut]?.error).length;
    const skipped = c.drills.filter((d) => !c.cells[d]?.[sut] && c.notRun?.[d]?.[sut] !== undefined).length;
    return `  <testsuite name="${x(sut)}" tests="${cases.length}" failures="${failures}" errors="${errors}"${skipped ? ` skipped="${skipped}"` : ''}>\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="firedrill compare">\n${suites.join('\n')}\n</testsuites>\n`;
}
