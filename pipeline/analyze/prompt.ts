import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, FAILURE_CLASSES } from '../../core/index.ts';
import { renderEvidence, type AnalyzerEvidence } from './evidence.ts';

/**
 * Prompts are data files (`prompts/system.md`, `prompts/finding.md`) with `{{placeholders}}`, so they can be
 * read, reviewed and changed without touching code; FIREDRILL_ANALYZER_PROMPTS points at another directory with
 * the same two files. A placeholder the code does not fill is refused when the prompts are loaded, not sent.
 */
export const PROMPT_FILES = ['system.md', 'finding.md'] as const;
export const PLACEHOLDERS = ['schema', 'categories', 'findingId', 'evidence'] as const;
type Placeholder = (typeof PLACEHOLDERS)[number];

export interface PromptTemplates {
  system: string;
  finding: string;
  /** Where they were read from (messages name it). */
  dir: string;
}

export const DEFAULT_PROMPTS_DIR = fileURLToPath(new URL('./prompts/', import.meta.url));

/** The JSON the model must answer with, as the system prompt shows it. */
export const ANSWER_SHAPE = '{"explanation": string, "category": string, "suggestedAction": string, "rootEntity": string | null}';

export function loadPrompts(dir: string = DEFAULT_PROMPTS_DIR): PromptTemplates {
  const read = (name: string) => {
    try {
      return readFileSync(join(dir, name), 'utf8');
    } catch (err) {
      throw new ConfigError(`analyzer prompt ${name} cannot be read`, { expected: `${PROMPT_FILES.join(' and ')} in ${dir}`, seen: (err as Error).message, fix: 'point FIREDRILL_ANALYZER_PROMPTS at a directory with both files, or unset it for the built-in prompts', cause: err });
    }
  };
  const t = { system: read('system.md'), finding: read('finding.md'), dir };
  for (const [name, text] of [['system.md', t.system], ['finding.md', t.finding]] as const) {
    const unknown = [...text.matchAll(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)].map((m) => m[1]!).filter((p) => !(PLACEHOLDERS as readonly string[]).includes(p));
    if (unknown.length) {
      throw new ConfigError(`analyzer prompt ${join(dir, name)} has placeholders nothing fills`, { expected: `only ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}`, seen: unknown.map((p) => `{{${p}}}`).join(', '), fix: 'remove them or use one of the expected placeholders' });
    }
  }
  return t;
}

function fill(template: string, values: Record<Placeholder, string>): string {
  return template.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (_m, name: string) => values[name as Placeholder]);
}

/** The system and user messages for one finding's evidence (already redacted and cut). */
export function renderPrompt(t: PromptTemplates, ev: AnalyzerEvidence): { system: string; user: string } {
  const values: Record<Placeholder, string> = {
    schema: ANSWER_SHAPE,
    categories: FAILURE_CLASSES.join(', '),
    findingId: ev.findingId,
    evidence: renderEvidence(ev),
  };
  return { system: fill(t.system, values).trim(), user: fill(t.finding, values).trim() };
}
