import { describe, expect, it } from 'vitest';
import { buildEvidence, clip, evidenceChars, renderEvidence } from './evidence.ts';
import { Redactor } from './redact.ts';
import { cascadeFinding, leakedKeyFinding } from './test-findings.ts';

describe('buildEvidence', () => {
  it('redacts every text before anything else: no secret and no raw key id in the rendered evidence', () => {
    const text = renderEvidence(buildEvidence(leakedKeyFinding(), new Redactor()));
    expect(text).not.toContain('hunter22');
    expect(text).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(text).toContain('[aws-access-key-id-1]');
    expect(text).toContain('198.51.100.23');
  });

  it('carries the chain root first, the templates and the sample lines', () => {
    const ev = buildEvidence(cascadeFinding(), new Redactor());
    expect(ev.chain[0]).toBe('rds:ledger-db connection exhaustion');
    expect(ev.sampleLines).toHaveLength(2);
    expect(ev.templates.some((t) => t.includes('sorry, too many clients already'))).toBe(true);
    expect(ev.cut).toBe(0);
  });

  it('stays within the budget: sample lines go first, the chain root last, and the cut is counted', () => {
    const f = cascadeFinding();
    f.evidence.sampleLines = Array.from({ length: 5 }, (_, i) => `${i} `.padEnd(390, 'x'));
    const full = buildEvidence(f, new Redactor());
    const small = buildEvidence(f, new Redactor(), { maxChars: 600 });
    expect(evidenceChars(full)).toBeGreaterThan(600);
    expect(evidenceChars(small)).toBeLessThanOrEqual(600);
    expect(small.sampleLines.length).toBeLessThan(full.sampleLines.length);
    expect(small.chain[0]).toContain('rds:ledger-db');
    expect(small.cut).toBeGreaterThan(0);
    expect(renderEvidence(small)).toMatch(/characters of evidence left out/);
  });

  it('clip never cuts a placeholder in half (it could not be restored)', () => {
    const s = 'key [aws-access-key-id-1] used';
    expect(clip(s, 12)).toBe('key …');
    expect(clip(s, 100)).toBe(s);
  });
});
