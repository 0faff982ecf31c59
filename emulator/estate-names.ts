import type { AwsService } from '../core/index.ts';
import type { Topology } from '../core/topology/index.ts';

/** Where each Firehose stream writes inside the raw bucket (the same prefixes infra/ gives Terraform). */
export function rawPrefixes(t: Topology): { cwl: string; waf: string; errors: string } {
  return { cwl: `${t.pipeline.rawPrefix}cwl/`, waf: `${t.pipeline.rawPrefix}waf/`, errors: `${t.pipeline.rawPrefix}errors/` };
}

/** Estate services bootstrap can leave out when the target lacks them (the pipeline's own cannot be). */
export const OPTIONAL_ESTATE_SERVICES: readonly AwsService[] = ['ecs', 'rds', 'wafv2', 'lambda', 'eks'];
