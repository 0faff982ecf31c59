import { auditKeys, type AuditLog } from '../audit-log.ts';

/**
 * At most N actions per resource per window, counted from the audit table (so every dispatcher instance, and
 * every Lambda on AWS, sees the same count). Resource keys come from the playbook (resourceKeys).
 */
export interface BreakerVerdict {
  open: boolean;
  counts: Record<string, number>;
  /** Keys that reached the limit. */
  tripped: string[];
}

export function breakerVerdict(counts: Record<string, number>, limit: number): BreakerVerdict {
  const tripped = Object.entries(counts).filter(([, n]) => n >= limit).map(([k]) => k);
  return { open: tripped.length > 0, counts, tripped };
}

const actionSk = (at: string, incidentId: string) => `action#${at}#${incidentId}`;

export async function recentActionCounts(audit: AuditLog, keys: string[], now: number, windowMs: number): Promise<Record<string, number>> {
  const from = `action#${new Date(now - windowMs).toISOString()}`;
  const counts: Record<string, number> = {};
  await Promise.all(
    keys.map(async (k) => {
      counts[k] = (await audit.query(auditKeys.resource(k), { from, to: 'action#\uffff' })).length;
    }),
  );
  return counts;
}

export async function recordActions(audit: AuditLog, keys: string[], at: string, incidentId: string, playbook: string): Promise<void> {
  await Promise.all(keys.map((k) => audit.put({ pk: auditKeys.resource(k), sk: actionSk(at, incidentId), record: 'breaker', at, incidentId, playbook })));
}
