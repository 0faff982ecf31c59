import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../../core/index.ts';
import { listCatalog } from '../../scenarios/index.ts';
import { renderScorecard, renderSummary, writeReports } from '../../harness/reports/index.ts';
import { runDrills } from '../../harness/drill/index.ts';
import type { DrillProgress, DrillTarget } from '../../harness/drill/index.ts';
import type { DrillScorecard } from '../../harness/evaluate/index.ts';
import { EXIT, worstExit } from '../exit-codes.ts';

const TARGETS: readonly DrillTarget[] = ['moto', 'localstack', 'aws'];

export interface RunCommandOptions {
  all?: boolean;
  target: string;
  /** A running emulator to use (it is reset); without it, FIREDRILL_ENDPOINT / AWS_ENDPOINT_URL, else a private moto. */
  endpoint?: string;
  seed?: string;
  reportDir: string;
  json?: boolean;
}

/** Progress on stderr: a live line on a TTY, plain lines otherwise (CI logs stay readable). */
function progressPrinter(): (p: DrillProgress) => void {
  const tty = process.stderr.isTTY === true;
  let live = false;
  return (p) => {
    const line = `[${p.drill} ${(p.elapsedMs / 1000).toFixed(1).padStart(5)}s] ${p.phase}: ${p.detail}`;
    if (tty && p.phase === 'ingest' && /events sent$/.test(p.detail)) {
      process.stderr.write(`\r\x1b[2K${line}`);
      live = true;
      return;
    }
    if (live) process.stderr.write('\n');
    live = false;
    process.stderr.write(`${line}\n`);
  };
}

export async function runCommand(files: string[], opts: RunCommandOptions): Promise<number> {
  if (!TARGETS.includes(opts.target as DrillTarget)) {
    throw new ConfigError(`unknown --target ${JSON.stringify(opts.target)}`, { expected: TARGETS.join(' | '), seen: opts.target, fix: '--target moto (default) runs on the embedded emulator' });
  }
  const drills = opts.all ? listCatalog().map((c) => c.file) : files.map((f) => resolve(f));
  const cards = await runDrills(drills, { target: opts.target as DrillTarget, ...(opts.endpoint ? { endpoint: opts.endpoint } : {}), ...(opts.seed !== undefined ? { seed: opts.seed } : {}), onProgress: progressPrinter() });
  const paths = await writeReports(cards, opts.reportDir);
  const passed = cards.every((c) => c.passed);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ passed, drills: cards.map(({ timeline: _t, ...rest }) => rest), reports: paths }, null, 2)}\n`);
  } else {
    for (const card of cards) process.stdout.write(`${renderScorecard(card)}\n\n`);
    process.stdout.write(`${renderSummary(cards)}\nreports: ${paths.html}\n         ${paths.junit}\n         ${paths.json}\n`);
  }
  return exitCodeOf(cards);
}

/** 0 all passed; 1 an expectation failed; 2 a drill's input was refused; 3 a drill crashed (the worst wins). */
export function exitCodeOf(cards: readonly DrillScorecard[]): number {
  return worstExit(cards.map((c) => (c.error ? (c.error.usage ? EXIT.usage : EXIT.crash) : c.passed ? EXIT.passed : EXIT.failed)));
}

export function register(program: Command): void {
  program
    .command('run')
    .description('run drills end to end (emulator, pipeline, detection, remediation) and print a scorecard')
    .argument('[scenarios...]', 'scenario files (see `firedrill list`)')
    .option('--all', 'run every drill of the catalog')
    .option('--target <target>', 'moto (embedded emulator) | localstack | aws', 'moto')
    .option('--endpoint <url>', 'use this running emulator (it is reset first); fails within seconds when nothing answers there')
    .option('--seed <seed>', "override the scenarios' seeds")
    .option('--report-dir <dir>', 'where scorecard.json, junit.xml and report.html go', process.env.FIREDRILL_REPORT_DIR ?? 'reports')
    .option('--json', 'print the scorecards as JSON on stdout')
    .action(async (files: string[], opts: RunCommandOptions) => {
      process.exitCode = await runCommand(files, opts);
    });
}
