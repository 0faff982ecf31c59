import type { Command } from 'commander';
import { DEFAULT_PROBABILITY, DEFAULT_SCHEDULE } from '../../harness/load/load-defaults.ts';
import type { LoadCommandOptions } from '../actions/load.ts';

/** 9464: the port the Prometheus exporter conventions give a Node exporter. */
export const DEFAULT_METRICS_PORT = 9464;

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function register(program: Command): void {
  program
    .command('load')
    .description('cron-scheduled load: every tick sends the slice of scenario traffic that just ended (wall-clock time) through the real pipeline')
    .requiredOption('--scenario <file>', 'scenario whose background (and incidents) to generate (see `firedrill list`)')
    .option('--sut <file>', "the system under test: a SUT file (docs/SUT.md) whose entry points get the load and whose handlers run meanwhile, or builtin; default: firedrill's normalizer alone")
    .option('--target <target>', 'moto (embedded emulator) | localstack | aws (your AWS credentials and region)', 'moto')
    .option('--endpoint <url>', 'a running emulator to use (it is reset); default: start one (or FIREDRILL_ENDPOINT)')
    .option('--schedule <cron>', `node-cron expression, 5 fields or 6 with seconds first (default "${DEFAULT_SCHEDULE}": every minute)`)
    .option('--slice <duration>', 'scenario time generated per tick (default: the period of the schedule)')
    .option('--anomalies <mode>', `random: a tick injects one incident with --probability | enforce: the --incident kinds every tick | none`, 'random')
    .option('--incident <kind>', "incident kind (repeatable or comma-separated); enforce: injected every tick; random: the kinds drawn from (default: the scenario's, else the catalog's)", collect)
    .option('--probability <p>', `chance per tick of an incident in random mode (default ${DEFAULT_PROBABILITY})`)
    .option('--ticks <n>', 'stop after n ticks (default: run until SIGINT/SIGTERM, finishing the tick in progress)')
    .option('--seed <seed>', "override the scenario's seed; tick k draws from a seed derived from it and k")
    .option('--truth <file>', 'JSON lines of what each tick injected, kept locally, never sent (default reports/load-truth.jsonl)')
    .option('--shard <i/n>', "send only shard i of n (0-based) of the scenario's streams: n processes with the same --seed and --schedule send disjoint parts of the same traffic (default FIREDRILL_SHARD)")
    .option('--json', 'one JSON object per tick on stdout')
    .option('--serve [port]', `expose /metrics (Prometheus: events generated, accepted, rejected per source, ticks, injected incidents) and /events on this port while the load runs (default ${DEFAULT_METRICS_PORT})`)
    .option('--serve-host <host>', 'address to serve on (0.0.0.0 in a container)', '127.0.0.1')
    .option('--yes', 'with --target aws and no estate deployed by infra/: create the billable resources it needs (see `firedrill plan`)')
    .action(async (opts: LoadCommandOptions) => {
      const { loadCommand } = await import('../actions/load.ts');
      process.exitCode = await loadCommand(opts);
    });
}
