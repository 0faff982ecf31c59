import { z } from 'zod';
import { FiredrillError } from '../../core/index.ts';
import type { Finding } from '../../core/index.ts';
import { ENTITY_TYPES, FINDING_KINDS, SEVERITIES } from '../../core/index.ts';
import { NOTICE_MARKER } from './playbooks/frame.ts';

/** An alerts-queue message that is neither a finding nor a remediation notice. */
export class AlertMessageError extends FiredrillError {}

const entityShape = Object.fromEntries(ENTITY_TYPES.map((e) => [e, z.string().optional()])) as Record<(typeof ENTITY_TYPES)[number], z.ZodOptional<z.ZodString>>;

const findingSchema = z.object({
  findingId: z.string().min(1),
  kind: z.enum(FINDING_KINDS),
  entities: z.object(entityShape),
  primary: z.enum(ENTITY_TYPES),
  firstSeen: z.number(),
  lastSeen: z.number(),
  detectedAt: z.number(),
  score: z.number(),
  severity: z.enum(SEVERITIES),
  method: z.string(),
  summary: z.string(),
  evidence: z.object({ sampleLines: z.array(z.string()), features: z.record(z.string(), z.number()) }),
  chain: z.array(z.string()).optional(),
  explains: z.array(z.string()).optional(),
});

export type AlertMessage = { type: 'finding'; finding: Finding } | { type: 'notice' };

/**
 * One SQS message of the alerts queue: an SNS envelope (`Type: Notification`, `Message` = the JSON text) or,
 * with raw message delivery, the JSON itself. The playbooks' own notices travel the same topic and are
 * recognised (and ignored) here, so remediation results never loop back into remediation.
 */
export function parseAlertMessage(body: string): AlertMessage {
  let outer: unknown;
  try {
    outer = JSON.parse(body);
  } catch (err) {
    throw new AlertMessageError('alerts message is not JSON', { expected: 'an SNS envelope or a Finding as JSON', seen: body.slice(0, 200), fix: 'publish findings as JSON (pipeline/detect does)', cause: err });
  }
  let inner: unknown = outer;
  if (outer && typeof outer === 'object' && (outer as { Type?: unknown }).Type === 'Notification' && typeof (outer as { Message?: unknown }).Message === 'string') {
    const text = (outer as { Message: string }).Message;
    try {
      inner = JSON.parse(text);
    } catch (err) {
      throw new AlertMessageError('SNS Message is not JSON', { expected: 'Message = a Finding as JSON text', seen: text.slice(0, 200), fix: 'publish findings as JSON', cause: err });
    }
  }
  if (inner && typeof inner === 'object' && (inner as { notice?: unknown }).notice === NOTICE_MARKER) return { type: 'notice' };
  const parsed = findingSchema.safeParse(inner);
  if (!parsed.success) {
    throw new AlertMessageError('alerts message is not a Finding', {
      expected: 'the fields of core/finding.ts Finding',
      seen: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
      fix: 'check the publisher (pipeline/detect) against core/finding.ts',
    });
  }
  return { type: 'finding', finding: parsed.data as Finding };
}
