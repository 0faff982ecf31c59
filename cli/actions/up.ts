import { ConfigError } from '../../core/index.ts';
import { topologyFromEnv } from '../../emulator/index.ts';
import { startWithBuiltin } from '../../harness/sut/index.ts';
import { requireYesForAws } from '../../harness/aws-account/index.ts';

export interface UpCommandOptions {
  target?: string;
  /** With --target aws: an emulator standing in for the account (a rehearsal of the real thing). */
  endpoint?: string;
  port?: string;
  reset?: boolean;
  json?: boolean;
  yes?: boolean;
}

/** `firedrill up`: an emulator with the whole topology on it, kept running until Ctrl-C, for poking at with any AWS tool. */
export async function upCommand(opts: UpCommandOptions): Promise<void> {
  const port = opts.port === undefined ? undefined : Number(opts.port);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw new ConfigError('--port must be a TCP port number', { expected: '1-65535', seen: String(opts.port), fix: 'e.g. --port 5000' });
  }
  const target = opts.target ?? 'moto';
  if (target !== 'moto' && target !== 'aws') {
    throw new ConfigError(`unknown --target ${JSON.stringify(target)}`, { expected: 'moto | aws', seen: target, fix: '--target moto (default) starts the embedded emulator; --target aws bootstraps your account' });
  }
  const log = (line: string) => process.stderr.write(`firedrill up: ${line}\n`);
  if (target === 'aws') {
    const topology = topologyFromEnv();
    requireYesForAws(topology, opts.yes, 'up --target aws');
    // Real AWS: the topology is created where missing and stays; `firedrill down` removes it.
    await using live = await startWithBuiltin({ target: 'aws', topology, log, ...(opts.endpoint ? { endpoint: opts.endpoint } : {}) });
    process.stdout.write(opts.json ? `${JSON.stringify({ endpoint: null, kind: 'aws', ids: live.ids }, null, 2)}\n` : `bootstrapped in AWS account ${live.ids.accountId}, region ${live.ids.region}, prefix ${topology.prefix}; \`firedrill down --prefix ${topology.prefix}\` lists what to remove\n`);
    return;
  }
  const given = opts.endpoint || process.env.FIREDRILL_ENDPOINT || process.env.AWS_ENDPOINT_URL;
  await using live = await startWithBuiltin({ endpoint: given || undefined, reset: opts.reset, emulator: { port }, log });
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ endpoint: live.endpoint, kind: live.emulator?.kind ?? 'endpoint', ids: live.ids }, null, 2)}\n`);
  } else {
    const ids = live.ids;
    process.stdout.write(
      [
        `endpoint   ${live.endpoint}  (${live.emulator ? `${live.emulator.kind}, pid ${live.emulator.pid ?? '-'}` : 'given'})`,
        `account    ${ids.accountId}  region ${ids.region}`,
        `buckets    ${Object.values(ids.buckets).join(' ')}`,
        `streams    ${ids.deliveryStreams.cwl} ${ids.deliveryStreams.waf}`,
        `queues     ${ids.queues.rawEvents}`,
        `           ${ids.queues.alerts}`,
        `topic      ${ids.alertsTopicArn}`,
        `instances  ${ids.instances.map((i) => `${i.name}=${i.instanceId}/${i.eniId}`).join(' ')}`,
        `ecs        ${ids.ecs.serviceArn}`,
        `rds        ${ids.rds.dbInstanceId} (${ids.rds.parameterGroup})`,
        `waf        ${ids.waf.webAclArn}`,
        '',
        `try:  AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=${ids.region} aws --endpoint-url ${live.endpoint} s3 ls`,
        'Ctrl-C stops the emulator.',
        '',
      ].join('\n'),
    );
  }
  await new Promise<void>((resolve) => {
    // The server process is unref'd on purpose; this keeps `up` alive until a signal arrives.
    const keepAlive = setInterval(() => {}, 60_000);
    const done = () => {
      clearInterval(keepAlive);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  log('stopping');
}
