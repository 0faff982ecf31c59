import { CommanderError, type Command } from 'commander';

/**
 * The scenario path of `firedrill generate --scenario <file> --out <dir>`. generate.ts (one source at a
 * time) is owned elsewhere, so this file only adds to it:
 * - `addScenarioOptions(cmd)` adds the flags generate.ts lacks (--scenario, --now, --estate; --out and
 *   --seed only when absent);
 * - `runScenarioGenerate(cmd)` does the work when --scenario is set.
 * The simplest integration is a branch at the top of generate.ts's action:
 *   `if (flags.scenario) return runScenarioGenerate(cmd);`
 * Until that exists, `register` bridges with a preAction hook on the existing command (or creates
 * `generate` when there is none), ending the parse with exit code 0 so the source path never runs,
 * and makes --source optional at parse time (the source path still rejects its absence itself).
 */

export function addScenarioOptions(cmd: Command): Command {
  const has = (long: string) => cmd.options.some((o) => o.long === long);
  cmd.option('--scenario <file>', 'compile a drill (YAML) and write per-destination streams, truth.ndjson and plan.json into --out <dir>');
  if (!has('--out')) cmd.option('--out <dir>', 'output folder');
  if (!has('--seed')) cmd.option('--seed <seed>', "override the scenario's seed");
  cmd.option('--now <iso>', 'with --scenario: compute the default start from this time instead of now');
  cmd.option('--estate <json>', 'with --scenario: EstateIds of a bootstrapped estate (default: synthetic)');
  return cmd;
}

/** Runs the scenario path with the command's parsed flags; a defaulted --seed keeps the scenario's seed. */
export async function runScenarioGenerate(cmd: Command): Promise<void> {
  const flags = cmd.opts<{ scenario?: string; out?: string; seed?: string; now?: string; estate?: string }>();
  if (!flags.scenario) return;
  if (!flags.out || flags.out === '-') {
    process.stderr.write('firedrill generate: --scenario <file> needs --out <dir> (a folder: one file per destination)\n');
    process.exitCode = 2;
    return;
  }
  const seedGiven = flags.seed !== undefined && cmd.getOptionValueSource('seed') !== 'default';
  // Loaded here, not at the top: `firedrill --help` loads only the command registrations.
  const { generateFromScenario } = await import('../../scenarios/index.ts');
  const r = await generateFromScenario({
    scenario: flags.scenario,
    out: flags.out,
    ...(seedGiven ? { seed: flags.seed! } : {}),
    ...(flags.now ? { now: flags.now } : {}),
    ...(flags.estate ? { estate: flags.estate } : {}),
  });
  process.stdout.write(`${r.summary}\n`);
}

/** Thrown after the scenario path ran, so commander stops before the source path's action. */
const DONE = 'firedrill.generate.scenarioDone';

export function register(program: Command): void {
  const existing = program.commands.find((c) => c.name() === 'generate');
  if (!existing) {
    addScenarioOptions(program.command('generate').description('generate the log streams and truth manifest of a drill (offline, no AWS)')).action(async (_flags, cmd: Command) => runScenarioGenerate(cmd));
    return;
  }
  if (existing.options.some((o) => o.long === '--scenario')) return; // generate.ts integrated it itself
  // commander checks mandatory options before any hook runs; a drill has no single --source, so the
  // source path's own validation (resolveGenerateOptions) reports a missing --source instead.
  for (const o of existing.options) if (o.long === '--source') o.mandatory = false;
  addScenarioOptions(existing).hook('preAction', async (_self, action) => {
    if (!action.opts<{ scenario?: string }>().scenario) return;
    await runScenarioGenerate(action);
    throw new CommanderError(typeof process.exitCode === 'number' ? process.exitCode : 0, DONE, '');
  });
}
