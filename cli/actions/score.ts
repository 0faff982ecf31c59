import { renderScorecard, writeReports } from '../../harness/reports/index.ts';
import { scoreFiles } from '../../harness/score/index.ts';
import { exitCodeOf } from './run.ts';

export interface ScoreCommandOptions {
  truth: string;
  findings: string;
  endpoint?: string;
  run?: string;
  reportDir: string;
  json?: boolean;
}

/** `firedrill score`: the scorecard and reports of findings produced elsewhere; exit 0 passed, 1 failed, 2 bad input, 3 environment. */
export async function scoreCommand(opts: ScoreCommandOptions): Promise<number> {
  const endpoint = opts.endpoint ?? (process.env.FIREDRILL_ENDPOINT || process.env.AWS_ENDPOINT_URL || undefined);
  const r = await scoreFiles({ truth: opts.truth, findings: opts.findings, ...(endpoint ? { endpoint } : {}), ...(opts.run ? { run: opts.run } : {}) });
  const paths = await writeReports([r.card], opts.reportDir);
  for (const n of r.notes) process.stderr.write(`firedrill score: ${n}\n`);
  if (opts.json) process.stdout.write(`${JSON.stringify({ passed: r.card.passed, drills: [r.card], reports: paths }, null, 2)}\n`);
  else process.stdout.write(`${renderScorecard(r.card)}\nreports: ${paths.html}\n         ${paths.junit}\n         ${paths.json}\n`);
  return exitCodeOf([r.card]);
}
