import { z } from 'zod';
import { FAILURE_CLASSES } from '../../core/index.ts';
import type { FailureClass } from '../../core/index.ts';

/** The JSON a model must answer with. Extra keys are ignored; a missing or wrong one makes the answer malformed. */
export const ModelAnswerSchema = z.object({
  explanation: z.string().trim().min(1).max(4000),
  category: z.enum(FAILURE_CLASSES),
  suggestedAction: z.string().trim().min(1).max(2000),
  rootEntity: z.string().trim().max(500).nullish(),
});

export interface ModelAnswer {
  explanation: string;
  category: FailureClass;
  suggestedAction: string;
  rootEntity?: string;
}

export type ParsedAnswer = { ok: true; answer: ModelAnswer } | { ok: false; reason: string };

/**
 * Reads a model's reply. Strict JSON was asked for; the one leniency is a Markdown code fence around it, which
 * chat models add out of habit. Anything else (prose, a truncated object, an unknown class) is malformed, with
 * the reason in words.
 */
export function parseModelAnswer(text: string): ParsedAnswer {
  let body = text.trim();
  const fence = /^```(?:json)?\s*\n?([\s\S]*?)\n?```$/i.exec(body);
  if (fence) body = fence[1]!.trim();
  if (body.length === 0) return { ok: false, reason: 'the model answered with an empty message' };
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    return { ok: false, reason: `the answer is not JSON (${(err as Error).message}): ${JSON.stringify(body.slice(0, 120))}` };
  }
  const r = ModelAnswerSchema.safeParse(json);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    return { ok: false, reason: `the answer does not match {explanation, category, suggestedAction, rootEntity}: ${issues}` };
  }
  const { rootEntity, ...rest } = r.data;
  return { ok: true, answer: { ...rest, ...(rootEntity ? { rootEntity } : {}) } };
}
