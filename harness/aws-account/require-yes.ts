import { ConfigError } from '../../core/index.ts';
import type { Topology } from '../../core/topology/index.ts';
import { awsPlan, billableSummary } from './aws-plan.ts';

/**
 * Creating resources in a real account is opt-in: `--target aws` without `--yes` stops here, before any AWS call,
 * naming what would be billed (exit code 2, like any usage error).
 */
export function requireYesForAws(topology: Topology, yes: boolean | undefined, command: string): void {
  if (yes) return;
  const plan = awsPlan(topology);
  throw new ConfigError(`--target aws creates billable resources in your AWS account (region ${topology.region}, prefix ${topology.prefix})`, {
    expected: '--yes, to confirm they may be created',
    seen: `no --yes; ${plan.resources.length} resources would be created when missing, billed while they exist: ${billableSummary(plan)}`,
    fix: `\`firedrill plan --target aws\` lists all of them with their cost; run \`firedrill ${command} … --yes\` to go ahead, and \`firedrill down --prefix ${topology.prefix} --yes\` to remove them afterwards`,
  });
}
