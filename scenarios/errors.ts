import { ConfigError } from '../core/index.ts';
import { formatIssue, type ConfigIssue } from '../core/config-file/index.ts';

/** One problem in a scenario file, located and explained (the shape every firedrill file problem has). */
export type ScenarioIssue = ConfigIssue;
export { formatIssue };

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
