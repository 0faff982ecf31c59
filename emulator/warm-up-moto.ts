import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ListDeliveryStreamsCommand } from '@aws-sdk/client-firehose';
import { ListQueuesCommand } from '@aws-sdk/client-sqs';
import { ListTopicsCommand } from '@aws-sdk/client-sns';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ListStateMachinesCommand } from '@aws-sdk/client-sfn';
import { ListClustersCommand } from '@aws-sdk/client-ecs';
import { DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { ListWebACLsCommand } from '@aws-sdk/client-wafv2';
import { ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { ListRolesCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { createAwsClients } from '../core/aws/index.ts';

/**
 * One read-only call per service firedrill uses, against a moto server it has just started. moto imports a
 * service's code and parses its API model on that service's first request — seconds in all — so without this
 * the first drill after a start pays for it inside its own phases. Leaves no state behind; failures are ignored
 * (the drill's own calls will report a real problem).
 */
export async function warmUpMoto(endpoint: string): Promise<void> {
  const c = createAwsClients({ endpoint, maxAttempts: 1 });
  try {
    await Promise.allSettled([
      c.s3.send(new ListBucketsCommand({})),
      c.logs.send(new DescribeLogGroupsCommand({})),
      c.firehose.send(new ListDeliveryStreamsCommand({})),
      c.sqs.send(new ListQueuesCommand({})),
      c.sns.send(new ListTopicsCommand({})),
      c.dynamodb.send(new ListTablesCommand({})),
      c.sfn.send(new ListStateMachinesCommand({})),
      c.ecs.send(new ListClustersCommand({})),
      c.rds.send(new DescribeDBInstancesCommand({})),
      c.ec2.send(new DescribeVpcsCommand({})),
      c.wafv2.send(new ListWebACLsCommand({ Scope: 'REGIONAL' })),
      c.lambda.send(new ListFunctionsCommand({})),
      c.iam.send(new ListRolesCommand({})),
      c.sts.send(new GetCallerIdentityCommand({})),
    ]);
  } finally {
    c.destroy();
  }
}
