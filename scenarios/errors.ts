import { ConfigError } from '../core/index.ts';

/** One problem in a scenario file, located and explained. */
export interface ScenarioIssue {
  /** File as given by the caller (relative paths stay relative, so messages are clickable in a terminal). */
  file: string;
  /** 1-based; undefined only when the text is not available (a scenario built in code). */
  line: number | undefined;
  column: number | undefined;
  /** Display path such as `incidents[2].kind`; empty for the whole document. */
  path: string;
  /** The same path as segments, when known, so a later pass can locate it in the YAML. */
  segments?: (string | number)[];
  summary: string;
  expected: string;
  seen?: string;
  fix?: string;
}

/** `file:line:column path: summary` and indented expected / seen / fix lines. */
export function formatIssue(issue: ScenarioIssue): string {
  const where = issue.line === undefined ? issue.file : `${issue.file}:${issue.line}:${issue.column ?? 1}`;
  const lines = [`${where} ${issue.path ? `${issue.path}: ` : ''}${issue.summary}`, `    expected: ${issue.expected}`];
  if (issue.seen !== undefined) lines.push(`    seen:     ${issue.seen}`);
  if (issue.fix !== undefined) lines.push(`    fix:      ${issue.fix}`);
  return lines.join('\n');
}

/** A scenario file is not a valid drill; carries every problem found, not only the first. */
export class ScenarioValidationError extends ConfigError {
  readonly issues: readonly ScenarioIssue[];

  constructor(issues: readonly ScenarioIssue[]) {
    const files = [...new Set(issues.map((i) => i.file))];
    const n = issues.length;
    super(`${files.join(', ')}: ${n} problem${n === 1 ? '' : 's'} in scenario\n${issues.map(formatIssue).join('\n')}`, {
      expected: 'a drill matching scenarios/scenario.schema.json',
      seen: `${n} problem${n === 1 ? '' : 's'} (listed above)`,
      fix: 'correct each located problem; `firedrill validate <file>` re-checks without running anything',
    });
    this.issues = issues;
  }
}
