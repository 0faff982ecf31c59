import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/index.ts';
import { referenceSyntaxProblems } from './interpolate.ts';
import { runSetupHook, SutSetupError, type SetupContext } from './run-setup-hook.ts';

const file = fileURLToPath(new URL('./testdata/hooks/hooks.mjs', import.meta.url));
const ctx: SetupContext = { endpoint: 'http://emu', region: 'us-east-1', account: '123', prefix: 'firedrill', estate: {}, refs: { 'queue-url:work': 'http://emu/123/work' }, env: {} };
const run = (name: string) => runSetupHook('demo', { file, export: name }, ctx);

describe('the setup hook', () => {
  it('is called with the context; what it returns becomes outputs (strings)', async () => {
    expect(await run('returnsOutputs')).toEqual({ queue: 'http://emu/123/work', shards: '2', ok: 'true' });
    expect(await run('returnsNothing')).toEqual({});
  });

  it('says what is wrong with a hook that cannot be used', async () => {
    await expect(run('missing')).rejects.toThrow(/the setup hook .*#missing is not a function[\s\S]*exports: .*fails/);
    await expect(run('notAFunction')).rejects.toBeInstanceOf(ConfigError);
    await expect(run('returnsNested')).rejects.toThrow(/non-scalar output `arn`[\s\S]*JSON\.stringify/);
    await expect(run('fails')).rejects.toBeInstanceOf(SutSetupError);
    await expect(run('fails')).rejects.toThrow(/state machine definition rejected/);
    await expect(runSetupHook('demo', { file: `${file}.nope`, export: 'x' }, ctx)).rejects.toThrow(/cannot load the setup hook/);
  });
});

describe('reference syntax, checked when the file is loaded', () => {
  it('finds unclosed and unknown references, nested ones as far as their head', () => {
    expect(referenceSyntaxProblems('${ref:queue-url:${prefix}-work}')).toEqual([]);
    expect(referenceSyntaxProblems('${ref:quue-url:${prefix}}').map((p) => [p.summary, p.fix])).toEqual([['unknown kind of resource reference', 'did you mean `ref:queue-url`?']]);
    expect(referenceSyntaxProblems('${prefix').map((p) => p.summary)).toEqual(['unclosed reference']);
    expect(referenceSyntaxProblems('$${literal}')).toEqual([]);
    expect(referenceSyntaxProblems('${regoin}').map((p) => p.fix)).toEqual(['did you mean `region`?']);
  });
});
