import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.ts';
import { formatIssue, ScenarioValidationError } from './errors.ts';
import { loadScenario, parseScenario, validateScenario, validateScenarioText } from './load-scenario.ts';
import { defineScenario } from './define-scenario.ts';

const NOW = Date.parse('2026-11-21T11:00:00Z');
const broken = (name: string) => new URL(`./testdata/broken/${name}`, import.meta.url);

/** Each broken file → the problems it must report: [line:column, path, text the message must contain]. */
const cases: Record<string, [string, string, string[]][]> = {
  'unknown-kind.yaml': [['13:11', 'incidents[0].kind', ['not an incident kind', 'seen:     "waf-http-flod"', 'did you mean `waf-http-flood`?']]],
  'unknown-key.yaml': [
    ['10:5', 'background[0].source', ['missing required key `source`']],
    ['10:7', 'background[0].sorce', ['unknown key `sorce`', 'did you mean `source`?']],
    ['16:5', 'incidents[0].intensty', ['unknown key `intensty`', 'one of the keys id, kind', 'did you mean `intensity`?']],
  ],
  'missing-keys.yaml': [
    ['3:1', 'duration', ['missing required key `duration`', 'a duration string such as 90s']],
    ['11:5', 'incidents[0].kind', ['missing required key `kind`', 'waf-http-flood']],
  ],
  'bad-values.yaml': [
    ['7:11', 'duration', ['malformed value', 'a duration such as 90s, 10m, 2h or 1d', 'seen:     "15 minutes"']],
    ['10:26', 'background[0].rate', ['a rate such as 300/m', 'seen:     "300 per minute"']],
    ['16:16', 'incidents[0].intensity', ['too big', 'a number <= 1', 'number 3']],
  ],
  'incident-in-warmup.yaml': [['14:9', 'incidents[0].at', ['incident starts in the warm-up', 'warm-up (6m)', 'at: fault+']]],
  'phases-mismatch.yaml': [['9:3', 'phases', ['phases do not add up', '6m + 5m + 2m = 13m']]],
  'unknown-reference.yaml': [['18:19', 'expect.detect[0].incident', ['unknown incident', 'did you mean `flood`?']]],
  'yaml-syntax.yaml': [['7:1', '', ['YAML syntax error (DUPLICATE_KEY)', 'Map keys must be unique']]],
  'start-too-old.yaml': [['7:8', 'start', ['start too old for CloudWatch Logs', 'older than 14 days', 'remove `start`']]],
  'cascade-too-long.yaml': [['17:7', 'incidents[0].cascade', ['cascade lags too long', 'lags add up to 6m']]],
};

describe('broken scenario files', () => {
  for (const [name, expected] of Object.entries(cases)) {
    it(`${name} is rejected at the right place with the right message`, () => {
      const r = validateScenarioText(readFileSync(broken(name), 'utf8'), { file: name, now: NOW });
      expect(r.ok).toBe(false);
      const got = r.issues.map((i) => ({ at: `${i.line}:${i.column}`, path: i.path, text: formatIssue(i) }));
      expect(got.map((g) => `${g.at} ${g.path}`)).toEqual(expected.map(([at, path]) => `${at} ${path}`));
      expected.forEach(([at, path, texts], i) => {
        expect(got[i]!.text.startsWith(`${name}:${at} ${path ? `${path}: ` : ''}`)).toBe(true);
        for (const t of texts) expect(got[i]!.text).toContain(t);
      });
    });
  }

  it('every broken file has a case', async () => {
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(broken('')).filter((f) => f.endsWith('.yaml')).sort()).toEqual(Object.keys(cases).sort());
  });

  it('loadScenario throws a ScenarioValidationError (a ConfigError) listing every problem', async () => {
    const err = await loadScenario(broken('bad-values.yaml').pathname, { now: NOW }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScenarioValidationError);
    expect(err).toBeInstanceOf(ConfigError);
    const e = err as ScenarioValidationError;
    expect(e.issues).toHaveLength(3);
    expect(e.message).toContain('3 problems in scenario');
    expect(e.message).toMatch(/bad-values\.yaml:7:11 duration: malformed value/);
    expect(e.fix).toContain('firedrill validate');
  });

  it('a missing file is reported as a validation error with the path', async () => {
    await expect(loadScenario('/nonexistent/drill.yaml')).rejects.toThrow(/cannot read the scenario file/);
  });
});

describe('valid scenarios', () => {
  const minimal = `
id: tiny
title: Tiny
description: smallest valid drill
seed: 7
duration: 10m
phases: { warmup: 5m }
background: [{ source: waf, rate: 100/m }]
expect: {}
`;
  it('applies defaults', () => {
    const s = parseScenario(minimal, { now: NOW });
    expect(s.incidents).toEqual([]);
    expect(s.expect).toEqual({ detect: [], rootCause: [], remediation: [], falsePositives: { max: 0 } });
  });

  it('checks a start against PutLogEvents bounds only when one is given', () => {
    expect(validateScenarioText(minimal, { now: NOW }).ok).toBe(true);
    const ahead = `${minimal}start: 2026-11-21T12:55:00Z\n`;
    const r = validateScenarioText(ahead, { now: NOW });
    expect(r.ok).toBe(false);
    expect(r.issues[0]!.summary).toBe('start too far ahead for CloudWatch Logs');
    expect(validateScenarioText(`${minimal}start: 2026-11-21T10:00:00Z\n`, { now: NOW }).ok).toBe(true);
  });

  it('defineScenario types a drill written in code, validateScenario applies the rules', () => {
    const s = defineScenario({
      id: 'coded',
      title: 'Coded',
      description: 'written in TypeScript',
      seed: 'abc',
      duration: '12m',
      phases: { warmup: '5m' },
      background: [{ source: 'app', rate: '100/m' }],
      incidents: [{ id: 'x', kind: 'app-db-errors', at: '1m', duration: '2m' }],
      expect: {},
    });
    const err = (() => {
      try {
        validateScenario(s, { now: NOW });
      } catch (e) {
        return e as ScenarioValidationError;
      }
    })();
    expect(err?.issues[0]).toMatchObject({ path: 'incidents[0].at', summary: 'incident starts in the warm-up', line: undefined });
  });

  it('reports several unrelated problems in one pass', () => {
    const text = minimal.replace('seed: 7', 'seed: true').replace('100/m', 'fast').replace('waf', 'wafv2');
    const r = validateScenarioText(text, { now: NOW });
    expect(r.issues.map((i) => i.path)).toEqual(['seed', 'background[0].source', 'background[0].rate']);
    expect(r.issues[1]!.fix).toBe('did you mean `waf`?');
    expect(r.issues[0]!.expected).toBe('a seed: a string or an integer');
  });
});

describe('compile-time problems located in the file', () => {
  it('an incident kind without a generator is reported at its line', async () => {
    const { compile } = await import('./compile.ts');
    const { locateIssues } = await import('./load-scenario.ts');
    const { defaultTopology, syntheticEstate } = await import('../core/topology/index.ts');
    const text = readFileSync(new URL('./waf-http-flood.yaml', import.meta.url), 'utf8');
    const s = parseScenario(text, { now: NOW });
    const err = (() => {
      try {
        compile(s, syntheticEstate(defaultTopology()), { now: NOW, generators: { background: {}, incidents: {} }, file: 'waf-http-flood.yaml' });
      } catch (e) {
        return e as ScenarioValidationError;
      }
    })();
    const located = locateIssues(err!.issues, text).map(formatIssue);
    expect(located[0]).toMatch(/^waf-http-flood\.yaml:\d+:\d+ background\[0\]\.source: no background generator registered for `waf`/);
    const kindLine = text.split('\n').findIndex((l) => l.includes('kind: waf-http-flood')) + 1;
    expect(located[1]).toContain(`waf-http-flood.yaml:${kindLine}:11 incidents[0].kind`);
  });

  it('the README example drill validates', () => {
    const md = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
    const yaml = /```yaml\n([\s\S]*?)```/.exec(md)![1]!;
    const r = validateScenarioText(yaml, { file: 'README.md', now: null });
    expect(r.issues.map(formatIssue)).toEqual([]);
  });
});
