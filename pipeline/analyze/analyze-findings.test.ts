import { describe, expect, it } from 'vitest';
import type { Analyzer } from './analyzer.ts';
import { analyzeFindings } from './analyze-findings.ts';
import { analyzerSettingsFromEnv } from './analyzer-config.ts';
import { cascadeFinding } from './test-findings.ts';

const findings = (n: number) => Array.from({ length: n }, (_, i) => ({ ...cascadeFinding(), findingId: `f${i}` }));

function fake(behave: (id: string) => Promise<'ok'>): Analyzer {
  return {
    provider: 'openai',
    analyze: async (f) => {
      await behave(f.findingId);
      return { explanation: 'x', category: 'timeout', suggestedAction: 'y', provider: 'openai' };
    },
  };
}

describe('analyzeFindings', () => {
  it('analyses at most maxPerRun in the order given and defers the rest', async () => {
    const r = await analyzeFindings(findings(5), fake(async () => 'ok'), { maxPerRun: 3, timeoutMs: 1000 });
    expect([...r.analyses.keys()].sort()).toEqual(['f0', 'f1', 'f2']);
    expect(r.deferred).toEqual(['f3', 'f4']);
  });

  it('a failure or a hang costs only that analysis (an analyzer that ignores its signal included)', async () => {
    const a = fake((id) => (id === 'f0' ? Promise.reject(new Error('HTTP 500')) : id === 'f1' ? new Promise<'ok'>(() => undefined) : Promise.resolve('ok')));
    const r = await analyzeFindings(findings(3), a, { maxPerRun: 10, timeoutMs: 50 });
    expect([...r.analyses.keys()]).toEqual(['f2']);
    expect(r.failed).toEqual([
      { findingId: 'f0', error: 'HTTP 500' },
      { findingId: 'f1', error: 'no analysis within 50 ms' },
    ]);
  });
});

describe('analyzerSettingsFromEnv', () => {
  it('defaults to the offline analyzer', () => {
    expect(analyzerSettingsFromEnv({}).analyzer.provider).toBe('offline');
  });
  it('builds the providers the environment names', () => {
    expect(analyzerSettingsFromEnv({ FIREDRILL_ANALYZER: 'openai', FIREDRILL_ANALYZER_BASE_URL: 'http://localhost:11434', FIREDRILL_ANALYZER_MODEL: 'llama3.1:8b' }).analyzer).toMatchObject({ provider: 'openai', model: 'llama3.1:8b' });
    expect(analyzerSettingsFromEnv({ FIREDRILL_ANALYZER: 'bedrock', FIREDRILL_ANALYZER_MODEL: 'amazon.nova-lite-v1:0', AWS_REGION: 'us-east-1' }).analyzer).toMatchObject({ provider: 'bedrock', model: 'amazon.nova-lite-v1:0' });
  });
  it.each([
    [{ FIREDRILL_ANALYZER: 'gpt' }, /names no analyzer/],
    [{ FIREDRILL_ANALYZER: 'openai', FIREDRILL_ANALYZER_MODEL: 'm' }, /needs FIREDRILL_ANALYZER_BASE_URL/],
    [{ FIREDRILL_ANALYZER: 'bedrock' }, /needs FIREDRILL_ANALYZER_MODEL/],
    [{ FIREDRILL_ANALYZER_MAX_PER_RUN: 'ten' }, /not a whole number/],
  ])('refuses %j clearly', (env, msg) => {
    expect(() => analyzerSettingsFromEnv(env)).toThrow(msg);
  });
});
