import type { Finding, FindingKind } from '../../core/index.ts';
import type { Observation } from '../observe/index.ts';

/**
 * An observation in the Finding shape the live page and /metrics show. firedrill's own findings come through the
 * `firedrill` preset with the whole Finding as their raw item; a SUT's own finding is shown with what its mapping
 * gave (kind, text, entities, root cause) and its raw JSON as the one sample line.
 */
export function observationAsFinding(o: Observation): Finding {
  const raw = o.raw as Partial<Finding> | undefined;
  if (raw && typeof raw === 'object' && typeof raw.findingId === 'string' && typeof raw.summary === 'string' && raw.evidence) return raw as Finding;
  const at = o.claimedTime ?? o.observedAt;
  return {
    findingId: o.id,
    kind: (o.kind ?? o.tap) as FindingKind,
    entities: Object.fromEntries(o.entities.map((v, i) => [`entity${i + 1}`, v])) as Finding['entities'],
    primary: 'entity1' as Finding['primary'],
    firstSeen: o.firstSeen ?? at,
    lastSeen: o.lastSeen ?? at,
    detectedAt: at,
    score: 0,
    severity: 'medium' as Finding['severity'],
    method: o.tap,
    summary: o.text,
    evidence: { sampleLines: [JSON.stringify(o.raw)], features: {} },
    ...(o.rootCause?.length ? { chain: o.rootCause } : {}),
  };
}
