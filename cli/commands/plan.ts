import type { Command } from 'commander';
import type { PlanCommandOptions } from '../actions/plan.ts';

export function register(program: Command): void {
  program
    .command('plan')
    .description('list what --target aws would create (from the topology), each with its cost note; asks nothing of AWS')
    .option('--target <target>', 'aws (the only target that creates billable resources)', 'aws')
    .option('--scenario <file>', "use the estate prefix and region a scenario declares")
    .option('--prefix <prefix>', 'resource name prefix (default FIREDRILL_PREFIX or firedrill)')
    .option('--region <region>', 'AWS region (default AWS_REGION or us-east-1)')
    .option('--infra', 'also list what `terraform apply` of infra/ adds (the Lambdas, their triggers and schedule, the load task)')
    .option('--json', 'print the plan as JSON')
    .action(async (opts: PlanCommandOptions) => {
      const { planCommand } = await import('../actions/plan.ts');
      process.exitCode = await planCommand(opts);
    });
}
