import { z } from 'zod';
import { scenarioObjectSchema } from './scenario-schema.ts';

/** Where the published JSON Schema lives, relative to the repository root. */
export const SCENARIO_JSON_SCHEMA_PATH = 'scenarios/scenario.schema.json';

/**
 * The JSON Schema of the drill format, generated from the zod schema (input side: defaults may be
 * omitted). Draft-07 because that is what yaml-language-server and most editors implement fully.
 * Cross-field rules (phases add up, incidents after the warm-up) are not expressible here; `firedrill
 * validate` checks them.
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(scenarioObjectSchema, { io: 'input', target: 'draft-7' }) as Record<string, unknown>;
  return {
    $id: 'https://firedrill.dev/scenario.schema.json',
    title: 'firedrill drill',
    description: 'A firedrill scenario: background traffic, incidents injected after a warm-up, and what the pipeline is expected to detect and remediate.',
    ...generated,
  };
}

/** The file's exact text (stable key order, trailing newline) so a test can compare it byte for byte. */
export function renderScenarioJsonSchema(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}
