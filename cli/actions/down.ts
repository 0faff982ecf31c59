import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { asAwsAccessError, createAwsClients } from '../../core/aws/index.ts';
import { defaultTopology } from '../../core/topology/index.ts';
import { assertEndpointAnswers } from '../../emulator/index.ts';
import { deleteManaged, findManaged, type ManagedResource } from '../../harness/aws-account/index.ts';
import { EXIT } from '../exit-codes.ts';

export interface DownCommandOptions {
  prefix?: string;
  region?: string;
  endpoint?: string;
  yes?: boolean;
  json?: boolean;
}

const say = (line: string) => process.stderr.write(`firedrill down: ${line}\n`);

/**
 * `firedrill down`: finds everything tagged firedrill:managed=true with the prefix (nothing else), lists it, and
 * with --yes deletes it in dependency order. Exit code 3 when something could not be deleted (run it again, or
 * delete what it names yourself).
 */
export async function downCommand(opts: DownCommandOptions): Promise<number> {
  // The same rule as the topology's: a wrong prefix is refused before anything is listed.
  const topology = defaultTopology({ prefix: opts.prefix ?? (process.env.FIREDRILL_PREFIX || undefined), region: opts.region ?? (process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || undefined) });
  if (opts.endpoint) await assertEndpointAnswers(opts.endpoint);
  const clients = createAwsClients({ ...(opts.endpoint ? { endpoint: opts.endpoint } : {}), region: topology.region });
  try {
    let account: string;
    let found: ManagedResource[];
    try {
      account = (await clients.sts.send(new GetCallerIdentityCommand({}))).Account ?? '?';
      found = await findManaged(clients, topology.prefix);
    } catch (err) {
      throw opts.endpoint ? err : asAwsAccessError(err, 'listing the tagged resources');
    }
    const where = `${opts.endpoint ?? 'AWS'} account ${account} region ${topology.region}, prefix ${topology.prefix}`;
    const known = found.filter((r) => r.type !== 'unknown');
    const unknown = found.filter((r) => r.type === 'unknown');
    if (!opts.yes) {
      if (opts.json) process.stdout.write(`${JSON.stringify({ account, region: topology.region, prefix: topology.prefix, dryRun: true, resources: found }, null, 2)}\n`);
      else {
        process.stdout.write(`${known.length} resource(s) tagged firedrill:managed=true firedrill:prefix=${topology.prefix} in ${where}:\n`);
        for (const r of known) process.stdout.write(`  ${r.type.padEnd(20)} ${r.arn}\n`);
        for (const r of unknown) process.stdout.write(`  ${'(not deletable here)'.padEnd(20)} ${r.arn}\n`);
        process.stdout.write(known.length ? `dry run: nothing deleted. \`firedrill down --prefix ${topology.prefix} --yes\` deletes them.\n` : 'nothing to delete.\n');
      }
      return EXIT.passed;
    }
    say(`deleting ${known.length} resource(s) in ${where}`);
    const outcomes = await deleteManaged(clients, known, {
      // On an emulator a deletion is immediate; on AWS an RDS instance takes minutes.
      waitSeconds: opts.endpoint ? 30 : 1800,
      onDeleted: (o) => {
        if (!opts.json) say(`${o.deleted ? 'deleted' : 'FAILED '} ${o.resource.type} ${o.resource.arn}${o.error ? `: ${o.error}` : ''}`);
      },
    });
    const failed = outcomes.filter((o) => !o.deleted);
    if (opts.json) process.stdout.write(`${JSON.stringify({ account, region: topology.region, prefix: topology.prefix, dryRun: false, outcomes, notDeletable: unknown }, null, 2)}\n`);
    else {
      process.stdout.write(`deleted ${outcomes.length - failed.length} of ${outcomes.length}${failed.length ? `; ${failed.length} failed (run again: a dependency may have been in the way)` : ''}\n`);
      if (unknown.length) process.stdout.write(`left alone (a type down does not delete; remove with terraform destroy or by hand): ${unknown.map((r) => r.arn).join(', ')}\n`);
    }
    return failed.length ? EXIT.crash : EXIT.passed;
  } finally {
    clients.destroy();
  }
}
