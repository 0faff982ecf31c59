import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import { systemClock } from '../core/index.ts';
import { checkSchema, displayPath, explainIssues, issueAt, locate, parseYaml } from '../core/config-file/index.ts';
import { ScenarioValidationError, type ScenarioIssue } from './errors.ts';
import { scenarioSchema, type Scenario } from './schema/scenario-schema.ts';
import { clockIssues } from './schema/timeline-checks.ts';

export interface ValidateOptions {
  /** Name used in messages (default `<scenario>`). */
  file?: string;
  /** Epoch ms the `start` bounds are checked against; default the system clock. `null` skips that check. */
  now?: number | null;
}

export type ValidationResult = { ok: true; scenario: Scenario; issues: [] } | { ok: false; issues: ScenarioIssue[] };

/**
 * Parses and validates scenario YAML, keeping node ranges so every problem is reported at
 * file:line:column. Reports all problems found, not only the first.
 */
export function validateScenarioText(text: string, opts: ValidateOptions = {}): ValidationResult {
  const file = opts.file ?? '<scenario>';
  const parsed = parseYaml(text, file);
  if (!parsed.ok) return { ok: false, issues: parsed.issues };
  const { source } = parsed;
  const checked = checkSchema(scenarioSchema, source, { customSummary: 'inconsistent drill' });
  if (!checked.ok) return { ok: false, issues: checked.issues };
  const now = opts.now === undefined ? systemClock.now() : opts.now;
  if (now !== null) {
    const issues = clockIssues(checked.value, now).map((x) => issueAt(source, x.path, { summary: x.summary, expected: x.expected, seen: x.seen, fix: x.fix }));
    if (issues.length) return { ok: false, issues };
  }
  return { ok: true, scenario: checked.value, issues: [] };
}

/** Validated scenario from YAML text; throws ScenarioValidationError listing every problem. */
export function parseScenario(text: string, opts: ValidateOptions = {}): Scenario {
  const r = validateScenarioText(text, opts);
  if (!r.ok) throw new ScenarioValidationError(r.issues);
  return r.scenario;
}

/** Reads and validates a scenario file. */
export async function loadScenario(file: string, opts: Omit<ValidateOptions, 'file'> = {}): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ScenarioValidationError([
      { file, line: undefined, column: undefined, path: '', summary: 'cannot read the scenario file', expected: 'a readable YAML file', seen: (err as Error).message, fix: 'check the path (`firedrill list` shows the catalog)' },
    ]);
  }
  return parseScenario(text, { ...opts, file });
}

/**
 * Adds file:line:column to problems found after validation (the compiler's: unregistered generators,
 * entities the generator ignores), by locating their paths in the scenario's YAML text.
 */
export function locateIssues(issues: readonly ScenarioIssue[], text: string): ScenarioIssue[] {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  return issues.map((i) => {
    if (i.line !== undefined || !i.segments) return i;
    const pos = locate(doc, counter, i.segments);
    return { ...i, line: pos.line, column: pos.column };
  });
}

/** Validates a scenario built in code (e.g. with defineScenario); problems carry paths but no lines. */
export function validateScenario(input: unknown, opts: ValidateOptions = {}): Scenario {
  const file = opts.file ?? '<scenario>';
  const parsed = scenarioSchema.safeParse(input, { reportInput: true });
  const toIssue = (x: { path: (string | number)[]; summary?: string; expected: string; seen?: string; fix?: string }): ScenarioIssue => ({
    file,
    line: undefined,
    column: undefined,
    path: displayPath(x.path),
    summary: x.summary ?? 'invalid',
    expected: x.expected,
    seen: x.seen,
    fix: x.fix,
  });
  if (!parsed.success) throw new ScenarioValidationError(explainIssues(scenarioSchema, parsed.error.issues, { customSummary: 'inconsistent drill' }).map(toIssue));
  const now = opts.now === undefined ? systemClock.now() : opts.now;
  const clock = now === null ? [] : clockIssues(parsed.data, now);
  if (clock.length) throw new ScenarioValidationError(clock.map(toIssue));
  return parsed.data;
}
