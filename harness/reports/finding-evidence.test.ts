import { describe, expect, it } from 'vitest';
import { findingEvidence } from './finding-evidence.ts';

describe('findingEvidence', () => {
  it('reads firedrill findings: at most five sample lines, long ones cut, and the analysis', () => {
    const lines = ['a', 'x'.repeat(500), 'c', 'd', 'e', 'f'];
    const ev = findingEvidence({ evidence: { sampleLines: lines, features: {} }, analysis: { explanation: 'why', category: 'traffic-flood', suggestedAction: 'block', provider: 'offline' } });
    expect(ev.sampleLines).toHaveLength(5);
    expect(ev.sampleLines[1]).toBe(`${'x'.repeat(400)}…`);
    expect(ev.analysis).toEqual({ explanation: 'why', category: 'traffic-flood', suggestedAction: 'block', provider: 'offline' });
  });

  it('shows nothing, and never fails, for the shapes a system under test may return', () => {
    for (const raw of [null, 'text', 42, [], { evidence: 'lines' }, { evidence: { sampleLines: [1, 'ok'] } }, { analysis: { category: 'x' } }]) {
      const ev = findingEvidence(raw);
      expect(ev.analysis).toBeUndefined();
      expect(ev.sampleLines.every((l) => typeof l === 'string')).toBe(true);
    }
    expect(findingEvidence({ evidence: { sampleLines: [1, 'ok'] } }).sampleLines).toEqual(['ok']);
  });
});
