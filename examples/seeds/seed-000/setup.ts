import { CreateStateMachineCommand, ListStateMachinesCommand } from '@aws-sdk/client-sfn';
import { createAwsClients } from '../../../core/aws/index.ts';

/**
 * The remediation workflow of seed 000 (stepfunction.tf): DetectAnomaly → Remediate. Its Lambda tasks cannot
 * run on an emulator that runs no Lambda code, so both states are Pass states here: the detection itself is the
 * `model` handler (run by firedrill's runtime on its schedule), which starts this machine with the anomalies'
 * CSV key, and the document never says what Remediate changes (see README.md, "Left out").
 */
const DEFINITION = {
  Comment: 'AWS-AIOps anomaly remediation (DetectAnomaly → Remediate)',
  StartAt: 'DetectAnomaly',
  States: {
    DetectAnomaly: { Type: 'Pass', Comment: 'model.py ran before the execution started; its output is the input', Next: 'Remediate' },
    Remediate: { Type: 'Pass', Comment: 'the document names no remediation action', Result: { remediated: false, reason: 'no action described' }, ResultPath: '$.remediation', End: true },
  },
};

export const STATE_MACHINE_NAME = 'anomaly-remediation';

export async function setup(ctx: { endpoint?: string | undefined; region: string; account: string }): Promise<Record<string, string>> {
  // firedrill's client factory: the emulator's credentials on an endpoint, the default chain on AWS.
  const clients = createAwsClients({ region: ctx.region, ...(ctx.endpoint ? { endpoint: ctx.endpoint } : {}) });
  const sfn = clients.sfn;
  try {
    const existing = (await sfn.send(new ListStateMachinesCommand({}))).stateMachines?.find((m) => m.name === STATE_MACHINE_NAME);
    const arn =
      existing?.stateMachineArn ??
      (
        await sfn.send(
          new CreateStateMachineCommand({
            name: STATE_MACHINE_NAME,
            definition: JSON.stringify(DEFINITION),
            roleArn: `arn:aws:iam::${ctx.account}:role/${STATE_MACHINE_NAME}-role`,
            tags: [{ key: 'firedrill:managed', value: 'true' }],
          }),
        )
      ).stateMachineArn!;
    return { stateMachineArn: arn };
  } finally {
    clients.destroy();
  }
}
