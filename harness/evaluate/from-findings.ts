import type { Finding } from '../../core/index.ts';
import { createMapper, type Observation } from '../observe/index.ts';

/** The tap name firedrill's own Finding objects are scored under when they are handed in directly. */
export const FINDINGS_TAP = 'findings';

const firedrill = createMapper(FINDINGS_TAP, 'firedrill', {});

/**
 * firedrill's own findings as observations, through the `firedrill` preset: exactly what the builtin's findings
 * tap makes of the items it reads, so a Finding handed in directly is scored like one read from the table.
 */
export function observationsFromFindings(findings: readonly Finding[], observedAt: number = Date.now()): Observation[] {
  return findings.map((f) => firedrill({ id: f.findingId, raw: f }, observedAt));
}
