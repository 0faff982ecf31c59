import { ConfigError, createLogger, errorMessage } from '../../core/index.ts';
import type { Finding } from '../../core/index.ts';
import { createAwsClients } from '../../core/aws/index.ts';
import { topologyFromEnv, type EstateIds } from '../../core/topology/index.ts';
import { createDispatcher, type Dispatcher, type DispatchResult } from '../remediate/dispatcher.ts';
import { stateMachineName } from '../remediate/deploy.ts';
import { parseAlertMessage } from '../remediate/parse-alert-message.ts';
import { PLAYBOOK_NAMES, type PlaybookName } from '../remediate/playbooks/index.ts';
import { safetyConfigFromEnv } from '../remediate/safety/safety-config.ts';
// The one module of the store it reads: the store's index would load the detector and every format with it.
import { readEstateIds } from '../store/estate-ids.ts';

const log = createLogger('dispatcher');

/** The parts of an SQS event (Lambda's shape) the dispatcher reads. */
export interface SqsRecordLike {
  messageId: string;
  body: string;
}
export interface SqsEventLike {
  Records: SqsRecordLike[];
}
/** Lambda's partial batch response: only the failed records are redelivered (then dead-lettered). */
export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

export interface DispatcherHandlerOptions {
  /** Called once per record with what happened (default: nothing); the local runtime logs it. */
  onResult?: (r: { messageId: string; result?: DispatchResult; ignored?: 'notice'; error?: string }) => void;
}

/**
 * Thin adapter: SQS records of the alerts queue → findings → dispatcher. A record whose message is not a
 * finding, or whose dispatch threw (throttling, an unreachable endpoint), is reported as a batch item failure
 * so SQS redelivers only it; remediation notices are acknowledged and ignored.
 */
export function createDispatcherHandler(dispatcher: Dispatcher, opts: DispatcherHandlerOptions = {}): (event: SqsEventLike) => Promise<SqsBatchResponse> {
  const report = opts.onResult ?? (() => {});
  return async (event) => {
    const failures: { itemIdentifier: string }[] = [];
    const findings: { messageId: string; finding: Finding }[] = [];
    for (const r of event.Records) {
      try {
        const m = parseAlertMessage(r.body);
        if (m.type === 'notice') report({ messageId: r.messageId, ignored: 'notice' });
        else findings.push({ messageId: r.messageId, finding: m.finding });
      } catch (err) {
        failures.push({ itemIdentifier: r.messageId });
        report({ messageId: r.messageId, error: errorMessage(err) });
      }
    }
    const results = await dispatcher.dispatchAll(findings.map((x) => x.finding));
    results.forEach((res, i) => {
      const messageId = findings[i]!.messageId;
      if (res.status === 'fulfilled') report({ messageId, result: res.value });
      else {
        failures.push({ itemIdentifier: messageId });
        report({ messageId, error: errorMessage(res.reason) });
      }
    });
    return { batchItemFailures: failures };
  };
}

/** A JSON object from an environment variable (undefined when unset), or a ConfigError naming the variable and what it must hold. */
function jsonFromEnv<T>(name: string, what: string): T | undefined {
  const raw = process.env[name];
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as T;
  } catch (err) {
    throw new ConfigError(`dispatcher handler: ${name} is not JSON`, { expected: `${what} as JSON`, seen: errorMessage(err), fix: `set ${name} to the JSON the setup hook returns, or unset it` });
  }
}

let deployed: Promise<(event: SqsEventLike) => Promise<SqsBatchResponse>> | undefined;

/**
 * The Lambda entry point (SQS trigger on the alerts queue), configured at cold start from its environment as on
 * AWS: FIREDRILL_PREFIX and FIREDRILL_DECLARATION (the topology: the estate declaration, JSON, as topologyFromEnv
 * reads it; absent: the defaults of the prefix), the safety variables (FIREDRILL_DRY_RUN, FIREDRILL_TARGET,
 * FIREDRILL_AWS_ACCOUNT_ALLOWLIST, …), and where the estate's identifiers and the state machines are: FIREDRILL_ESTATE
 * and FIREDRILL_STATE_MACHINES (JSON, as the builtin SUT file passes its setup hook's output), or, when unset (as
 * infra/ deploys it: a Lambda environment holds 4 KB in all), the estate ids object in the state bucket and one
 * state machine per playbook named as deploy names them. Without FIREDRILL_TARGET, an endpoint override means an
 * emulator and none means AWS, where the account allowlist applies.
 */
export const handler = async (event: SqsEventLike): Promise<SqsBatchResponse> => {
  deployed ??= (async () => {
    const endpoint = process.env.AWS_ENDPOINT_URL;
    const region = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || undefined;
    const clients = createAwsClients({ ...(endpoint ? { endpoint } : {}), ...(region ? { region } : {}) });
    const topology = topologyFromEnv({ FIREDRILL_PREFIX: process.env.FIREDRILL_PREFIX, FIREDRILL_ESTATE: process.env.FIREDRILL_DECLARATION });
    const estate = jsonFromEnv<EstateIds>('FIREDRILL_ESTATE', "the estate's identifiers (EstateIds)") ?? (await readEstateIds(clients.s3, topology));
    const stateMachineArns =
      jsonFromEnv<Partial<Record<PlaybookName, string>>>('FIREDRILL_STATE_MACHINES', 'playbook name → state machine ARN') ??
      Object.fromEntries(PLAYBOOK_NAMES.map((pb) => [pb, `arn:aws:states:${estate.region}:${estate.accountId}:stateMachine:${stateMachineName(topology, pb)}`]));
    const safety = safetyConfigFromEnv(process.env, process.env.FIREDRILL_TARGET ? {} : { target: endpoint ? 'emulator' : 'aws' });
    const dispatcher = createDispatcher(clients, { topology, estate, stateMachineArns, safety });
    return createDispatcherHandler(dispatcher, { onResult: (r) => (r.error ? log.warn(r, 'dispatch failed; the message returns to the queue') : log.debug(r, 'dispatched')) });
  })().catch((err: unknown) => {
    // A failed cold start is retried by the next invocation rather than remembered.
    deployed = undefined;
    throw err;
  });
  return (await deployed)(event);
};
