import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../emulator/index.ts';

/**
 * The layering of docs/CONTRACTS.md is enforced by ESLint's no-restricted-imports (eslint.config.js). These lint
 * small sources as if they sat in a folder, so a rule that stops matching fails here, not in review.
 */
const eslint = new ESLint({ cwd: REPO_ROOT });

async function lintAs(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${REPO_ROOT}/${filePath}` });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering', () => {
  it('refuses the system under test an import of the data maker or the harness', async () => {
    expect(await lintAs('pipeline/detect/leak.ts', "export { compile } from '../../scenarios/index.ts';\n")).toEqual([expect.stringContaining('pipeline/ may import only formats, core')]);
    expect(await lintAs('pipeline/detect/leak.ts', "export { backgroundGenerators } from '../../generators/index.ts';\n")).toHaveLength(1);
    expect(await lintAs('pipeline/normalize/leak.ts', "export { evaluateDrill } from '../../harness/evaluate/index.ts';\n")).toHaveLength(1);
  });

  it('refuses imports that point up: formats into generators, the emulator into the harness', async () => {
    expect(await lintAs('formats/leak.ts', "export { backgroundGenerators } from '../generators/index.ts';\n")).toHaveLength(1);
    expect(await lintAs('emulator/leak.ts', "export { runDrill } from '../harness/drill/index.ts';\n")).toHaveLength(1);
    expect(await lintAs('runtime/leak.ts', "export { createDetectorHandler } from '../pipeline/handlers/index.ts';\n")).toHaveLength(1);
  });

  it('refuses a reach into another folder\'s internals, and lets its index.ts through', async () => {
    expect(await lintAs('harness/drill/x.ts', "export { compile } from '../../scenarios/compile.ts';\n")).toEqual([expect.stringContaining('index.ts')]);
    expect(await lintAs('harness/drill/x.ts', "export { compile } from '../../scenarios/index.ts';\n")).toEqual([]);
    expect(await lintAs('pipeline/detect/x.ts', "export { defaultTopology } from '../../core/topology/index.ts';\n")).toEqual([]);
    expect(await lintAs('pipeline/detect/x.ts', "export { defaultTopology } from '../../core/topology/default-topology.ts';\n")).toHaveLength(1);
  });

  it('lets cli/, test/ and unit tests import anything', async () => {
    expect(await lintAs('cli/commands/x.ts', "export { createDetectorHandler } from '../../pipeline/handlers/detector-handler.ts';\n")).toEqual([]);
    expect(await lintAs('pipeline/detect/x.test.ts', "export { compile } from '../../scenarios/compile.ts';\n")).toEqual([]);
  });
});
