/** Helpers the incident generators of this source share. */
import type { IncidentRequest, TruthLabel } from '../types.ts';

export function labelOf(req: IncidentRequest): TruthLabel {
  return { incidentId: req.incidentId, kind: req.kind };
}
