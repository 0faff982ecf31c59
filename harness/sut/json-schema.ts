import { z } from 'zod';
import { sutObjectSchema } from './sut-schema.ts';

/** Where the published JSON Schema lives, relative to the repository root. */
export const SUT_JSON_SCHEMA_PATH = 'harness/sut/sut.schema.json';

/**
 * The JSON Schema of the SUT file, generated from the zod schema (input side: defaults may be omitted).
 * Draft-07, as yaml-language-server implements it. Rules across fields (exactly one trigger, names that must
 * be declared, references) are not expressible here; `firedrill sut validate` checks them.
 */
export function sutJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(sutObjectSchema, { io: 'input', target: 'draft-7' }) as Record<string, unknown>;
  return {
    $id: 'https://firedrill.dev/sut.schema.json',
    title: 'firedrill system under test',
    ...generated,
  };
}

/** The file's exact text (stable key order, trailing newline) so a test can compare it byte for byte. */
export function renderSutJsonSchema(): string {
  return `${JSON.stringify(sutJsonSchema(), null, 2)}\n`;
}
