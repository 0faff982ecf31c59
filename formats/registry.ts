import type { SourceName } from '../core/index.ts';
import type { FormatSpec } from './types.ts';
import { wafFormat } from './waf.ts';
import { vpcFlowFormatSpec } from './vpcflow.ts';
import { ec2Format } from './ec2.ts';
import { cloudtrailFormat } from './cloudtrail.ts';
import { lambdaFormat } from './lambda.ts';
import { s3accessFormat } from './s3access.ts';
import { rdsFormat } from './rds.ts';
import { appFormat } from './app.ts';
import { ecsFormat } from './ecs.ts';
import { eksFormat } from './eks.ts';

/**
 * Every source's wire format, one line each. `unknown` records because each source has its own record
 * type; callers that need the precise type import the source's module. Partial until all have landed.
 */
export const formats: Partial<Record<SourceName, FormatSpec<unknown>>> = {
  waf: wafFormat,
  vpcflow: vpcFlowFormatSpec,
  ec2: ec2Format,
  cloudtrail: cloudtrailFormat,
  lambda: lambdaFormat,
  s3access: s3accessFormat,
  rds: rdsFormat,
  app: appFormat,
  ecs: ecsFormat,
  eks: eksFormat,
};
