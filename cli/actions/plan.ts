import { ConfigError } from '../../core/index.ts';
import { defaultTopology } from '../../core/topology/index.ts';
import { awsPlan, formatAwsPlan } from '../../harness/aws-account/index.ts';
import { loadScenario, resolveScenarioArg } from '../../scenarios/index.ts';

export interface PlanCommandOptions {
  target: string;
  scenario?: string;
  prefix?: string;
  region?: string;
  infra?: boolean;
  json?: boolean;
}

/** `firedrill plan`: what --target aws would create, with cost notes. Offline: no credentials needed. */
export async function planCommand(opts: PlanCommandOptions): Promise<number> {
  if (opts.target !== 'aws') {
    throw new ConfigError(`firedrill plan lists what --target aws creates; --target ${opts.target} creates nothing billable`, { expected: '--target aws (the default)', seen: `--target ${opts.target}`, fix: 'leave --target out' });
  }
  const scenario = opts.scenario ? await loadScenario(resolveScenarioArg(opts.scenario)) : undefined;
  const topology = defaultTopology({
    prefix: opts.prefix ?? scenario?.estate?.prefix ?? (process.env.FIREDRILL_PREFIX || undefined),
    region: opts.region ?? scenario?.estate?.region ?? (process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || undefined),
  });
  const plan = awsPlan(topology, { infra: opts.infra ?? false });
  if (opts.json) {
    const { topology: _t, ...rest } = plan;
    process.stdout.write(`${JSON.stringify({ prefix: topology.prefix, region: topology.region, tags: topology.tags, ...rest }, null, 2)}\n`);
  } else {
    process.stdout.write(`${formatAwsPlan(plan)}\n`);
  }
  return 0;
}
