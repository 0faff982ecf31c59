import { describe, expect, it } from 'vitest';
import { defaultTopology, syntheticEstate } from '../core/topology/index.ts';
import { compile, listCatalog, loadScenario } from '../scenarios/index.ts';
import { detectOffline } from './support/detect-offline.ts';

/**
 * The detector handler holds each window's records compacted (pipeline/detect/compact-record.ts: lineage and log
 * stream dropped, repeated strings shared, the messages of WAF, CloudTrail, S3 access and VPC Flow records and of
 * EKS audit events cut to a sample line). Every catalog drill, detected offline both ways, must give the same
 * findings, the same flagged windows and the same final state: the compaction saves memory and decides nothing.
 */
const topology = defaultTopology();
const estate = syntheticEstate(topology, 'compact-records');
// One drill per source whose messages are cut, EKS's audit trail included (a second or two each; eval:detection and
// the catalog e2e run every drill through the handler, text sources included).
const DRILLS = ['waf-sqli-scanner', 'cloudtrail-compromised-key', 's3-mass-delete', 'vpc-port-scan', 'eks-exec-secret-read'];

describe('compacted records', () => {
  for (const entry of listCatalog().filter((c) => DRILLS.includes(c.id))) {
    it(`change no detector decision on ${entry.id}`, async () => {
      const plan = compile(await loadScenario(entry.file), estate, { topology, seed: 7 });
      const whole = detectOffline(plan, estate, topology);
      const compact = detectOffline(plan, estate, topology, {}, { compact: true });
      expect(compact.records).toBeGreaterThan(0);
      expect(compact.findings).toEqual(whole.findings);
      expect(compact.flagged).toEqual(whole.flagged);
      expect(compact.state).toEqual(whole.state);
    }, 120_000);
  }

  it('cover the drills named above', () => {
    expect(listCatalog().filter((c) => DRILLS.includes(c.id)).map((c) => c.id).sort()).toEqual([...DRILLS].sort());
  });
});
