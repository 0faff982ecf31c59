import { buildComparison, comparisonMarkdown, parseRunsArg, scoreRunDir, writeComparison } from '../../harness/compare/index.ts';

export interface CompareCommandOptions {
  runs: string[];
  reportDir: string;
  json?: boolean;
}

/** `firedrill compare`: several SUTs' runs of the same drills as one matrix; exit 0 when every cell passed, 1 otherwise. */
export async function compareCommand(opts: CompareCommandOptions): Promise<number> {
  const runs = [];
  for (const arg of opts.runs) {
    const { sut, dir } = parseRunsArg(arg);
    runs.push({ sut, cards: await scoreRunDir(dir) });
  }
  const c = buildComparison(runs);
  const paths = await writeComparison(c, opts.reportDir);
  if (opts.json) process.stdout.write(`${JSON.stringify({ comparison: c, reports: paths }, null, 2)}\n`);
  else process.stdout.write(`${comparisonMarkdown(c)}\n\nreports: ${paths.html}\n         ${paths.junit}\n         ${paths.json}\n         ${paths.markdown}\n`);
  const allPassed = c.drills.every((d) => c.suts.every((s) => c.cells[d]?.[s]?.passed !== false));
  return allPassed ? 0 : 1;
}
