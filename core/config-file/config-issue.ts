/** One problem in a file a person wrote (a scenario, a SUT file), located and explained. */
export interface ConfigIssue {
  /** File as given by the caller (relative paths stay relative, so messages are clickable in a terminal). */
  file: string;
  /** 1-based; undefined only when the text is not available (a value built in code). */
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
export function formatIssue(issue: ConfigIssue): string {
  const where = issue.line === undefined ? issue.file : `${issue.file}:${issue.line}:${issue.column ?? 1}`;
  const lines = [`${where} ${issue.path ? `${issue.path}: ` : ''}${issue.summary}`, `    expected: ${issue.expected}`];
  if (issue.seen !== undefined) lines.push(`    seen:     ${issue.seen}`);
  if (issue.fix !== undefined) lines.push(`    fix:      ${issue.fix}`);
  return lines.join('\n');
}
