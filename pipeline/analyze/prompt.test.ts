import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, FAILURE_CLASSES } from '../../core/index.ts';
import { buildEvidence } from './evidence.ts';
import { loadPrompts, renderPrompt } from './prompt.ts';
import { Redactor } from './redact.ts';
import { cascadeFinding } from './test-findings.ts';

describe('prompts as data files', () => {
  it('the built-in prompts fill every placeholder: the classes, the answer shape and the evidence', () => {
    const { system, user } = renderPrompt(loadPrompts(), buildEvidence(cascadeFinding(), new Redactor()));
    expect(system).not.toMatch(/\{\{/);
    expect(user).not.toMatch(/\{\{/);
    for (const k of FAILURE_CLASSES) expect(system).toContain(k);
    expect(system).toContain('"rootEntity"');
    expect(user).toContain('Evidence of finding f-rc-1');
    expect(user).toContain('sorry, too many clients already');
  });

  it('another directory of prompts is used as written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prompts-'));
    writeFileSync(join(dir, 'system.md'), 'Answer as {{schema}}.');
    writeFileSync(join(dir, 'finding.md'), '{{evidence}}');
    const { system, user } = renderPrompt(loadPrompts(dir), buildEvidence(cascadeFinding(), new Redactor()));
    expect(system).toMatch(/^Answer as \{"explanation"/);
    expect(user).toMatch(/^finding kind: root-cause/);
  });

  it('a placeholder nothing fills, or a missing file, is a ConfigError at load time', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prompts-'));
    writeFileSync(join(dir, 'system.md'), 'Hello {{labels}}');
    expect(() => loadPrompts(dir)).toThrow(ConfigError);
    writeFileSync(join(dir, 'finding.md'), '{{evidence}}');
    expect(() => loadPrompts(dir)).toThrow(/placeholders nothing fills/);
    expect(() => loadPrompts(join(dir, 'nope'))).toThrow(/cannot be read/);
  });
});
