import { resolve } from 'node:path';
import { ConfigError } from '../../core/index.ts';
import { isVolumeDrill, listCatalog, loadScenario, resolveScenarioArg, topologyOf } from '../../scenarios/index.ts';
import { renderScorecard, renderSummary, writeReports } from '../../harness/reports/index.ts';
import { runDrills } from '../../harness/drill/index.ts';
import type { DrillEvent, DrillProgress, DrillTarget } from '../../harness/drill/index.ts';
// The live page (an HTTP server, Prometheus' client) and the AWS account's guard load only for --serve and --target
// aws: a drill's process holds every module it loaded to its end.
import type { LiveHub, LiveServer } from '../../harness/live/index.ts';
import type { DrillScorecard } from '../../harness/evaluate/index.ts';
import { EXIT, worstExit } from '../exit-codes.ts';
import { DEFAULT_SERVE_PORT } from '../commands/run.ts';

const TARGETS: readonly DrillTarget[] = ['moto', 'localstack', 'aws'];

export interface RunCommandOptions {
  all?: boolean;
  target: string;
  /** A running emulator to use (it is reset); without it, FIREDRILL_ENDPOINT / AWS_ENDPOINT_URL, else a private moto. */
  endpoint?: string;
  seed?: string;
  reportDir: string;
  json?: boolean;
  /** The system under test: a SUT file, or `builtin` (firedrill's own pipeline). */
  sut?: string;
  /** Serve the live page, /events and /metrics while the drills run: true (port 8080) or a port. */
  serve?: boolean | string;
  serveHost?: string;
  /** With --target aws: consent to create billable resources. */
  yes?: boolean;
}

/** How a caller (a test) follows and ends a served run; the CLI keeps serving until SIGINT / SIGTERM. */
export interface RunServeHooks {
  onServing?: (url: string) => void;
  /** Resolves when the page may go away after the drills ended. */
  untilStopped?: Promise<void>;
}

function servePort(value: true | string): number {
  if (value === true) return DEFAULT_SERVE_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new ConfigError(`--serve ${JSON.stringify(value)} is not a port`, { expected: 'a port 0–65535 (0: any free one), or --serve alone for 8080', seen: value, fix: '--serve 8080' });
  return port;
}

function untilSignal(): Promise<void> {
  return new Promise((ok) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      ok();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
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

export async function runCommand(files: string[], opts: RunCommandOptions, hooks: RunServeHooks = {}): Promise<number> {
  if (!TARGETS.includes(opts.target as DrillTarget)) {
    throw new ConfigError(`unknown --target ${JSON.stringify(opts.target)}`, { expected: TARGETS.join(' | '), seen: opts.target, fix: '--target moto (default) runs on the embedded emulator' });
  }
  // --all: the catalog without its production-volume drills (name them, or use `npm run drill:volume`).
  const drills = opts.all ? listCatalog().filter((c) => !isVolumeDrill(c)).map((c) => c.file) : files.map((f) => resolveScenarioArg(f));
  if (opts.target === 'aws') {
    const { requireYesForAws } = await import('../../harness/aws-account/index.ts');
    // Before any AWS call: each drill's estate (its prefix and region) would be created when missing. An --endpoint
    // with --target aws stands in for an account (a rehearsal), so the same consent applies.
    for (const file of drills) requireYesForAws(topologyOf(await loadScenario(file)), opts.yes, 'run');
  }
  const printer = progressPrinter();
  let onProgress = printer;
  let onEvent: ((e: DrillEvent) => void) | undefined;
  let live: { server: LiveServer; hub: LiveHub } | undefined;
  if (opts.serve !== undefined && opts.serve !== false) {
    const { LIVE_PAGE, LiveHub, createRunMetrics, startLiveServer } = await import('../../harness/live/index.ts');
    const hub = new LiveHub();
    const metrics = createRunMetrics();
    const server = await startLiveServer({ port: servePort(opts.serve), ...(opts.serveHost ? { host: opts.serveHost } : {}), hub, metrics: metrics.registry, page: LIVE_PAGE, reportDir: opts.reportDir });
    live = { server, hub };
    onProgress = (p) => {
      printer(p);
      hub.publish({ type: 'progress', ...p });
    };
    onEvent = (e) => {
      metrics.onDrillEvent(e);
      hub.publish(e);
    };
    process.stderr.write(`live drill page: ${server.url} (/metrics for Prometheus)\n`);
    hooks.onServing?.(server.url);
  }
  try {
    const cards = await runDrills(drills, { target: opts.target as DrillTarget, ...(opts.endpoint ? { endpoint: opts.endpoint } : {}), ...(opts.seed !== undefined ? { seed: opts.seed } : {}), ...(opts.sut ? { sut: opts.sut === 'builtin' ? 'builtin' : resolve(opts.sut) } : {}), reportDir: opts.reportDir, onProgress, ...(onEvent ? { onEvent } : {}) });
    return await reportRun(cards, opts, live, hooks);
  } finally {
    await live?.server.close();
  }
}

async function reportRun(cards: DrillScorecard[], opts: RunCommandOptions, live: { server: LiveServer; hub: LiveHub } | undefined, hooks: RunServeHooks = {}): Promise<number> {
  const paths = await writeReports(cards, opts.reportDir);
  const passed = cards.every((c) => c.passed);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ passed, drills: cards.map(({ timeline: _t, ...rest }) => rest), reports: paths }, null, 2)}\n`);
  } else {
    for (const card of cards) process.stdout.write(`${renderScorecard(card)}\n\n`);
    process.stdout.write(`${renderSummary(cards)}\nreports: ${paths.html}\n         ${paths.junit}\n         ${paths.json}\n         ${paths.index}\n`);
  }
  if (live) {
    live.hub.publish({ type: 'reports', html: '/report/report.html', index: '/report/index.html' });
    // The page outlives the drills so they can be read (the demo container would otherwise vanish with them).
    process.stderr.write(`drills ended; the live page stays at ${live.server.url} with the reports (Ctrl-C stops)\n`);
    await (hooks.untilStopped ?? untilSignal());
  }
  return exitCodeOf(cards);
}

/** 0 all passed; 1 an expectation failed; 2 a drill's input was refused; 3 a drill crashed (the worst wins). */
export function exitCodeOf(cards: readonly DrillScorecard[]): number {
  return worstExit(cards.map((c) => (c.error ? (c.error.usage ? EXIT.usage : EXIT.crash) : c.passed ? EXIT.passed : EXIT.failed)));
}
