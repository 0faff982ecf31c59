import { ConfigError } from '../../core/index.ts';
import { startAndBootstrap } from '../../emulator/index.ts';

export interface UpCommandOptions {
  port?: string;
  reset?: boolean;
  json?: boolean;
}

/** `firedrill up`: an emulator with the whole topology on it, kept running until Ctrl-C, for poking at with any AWS tool. */
export async function upCommand(opts: UpCommandOptions): Promise<void> {
  const port = opts.port === undefined ? undefined : Number(opts.port);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw new ConfigError('--port must be a TCP port number', { expected: '1-65535', seen: String(opts.port), fix: 'e.g. --port 5000' });
  }
  const given = process.env.FIREDRILL_ENDPOINT || process.env.AWS_ENDPOINT_URL;
  const log = (line: string) => process.stderr.write(`firedrill up: ${line}\n`);
  await using live = await startAndBootstrap({ endpoint: given || undefined, reset: opts.reset, emulator: { port }, log });
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
