import type { AslChoiceCondition, AslDefinition, AslState } from './types.ts';

/** Service names an aws-sdk task may use: boto3's names, the ones moto's executor resolves (and AWS accepts). */
export const SDK_SERVICES = ['ec2', 'ecs', 'eks', 'wafv2', 'rds', 'iam', 'lambda', 's3', 'dynamodb', 'sns', 'sts'] as const;
export type SdkService = (typeof SDK_SERVICES)[number];

const SDK_TASK = /^arn:aws:states:::aws-sdk:([a-z0-9]+):([a-z][A-Za-z0-9]*)$/;
const OPTIMISED_TASKS = new Set(['arn:aws:states:::sns:publish']);

/** The limits that keep a failing playbook from becoming a retry storm (AWS's own defaults are 3 attempts). */
export const RETRY_LIMITS = { maxAttempts: 3, maxIntervalSeconds: 5, maxBackoffRate: 2 } as const;

export interface AslValidationOptions {
  /** The state every Task's catch-all must lead to (the audit record of a failure). */
  failureAuditState: string;
}

/** `<service>:<action>` of an aws-sdk task resource, or undefined for anything else. */
export function parseSdkResource(resource: string): { service: string; action: string } | undefined {
  const m = SDK_TASK.exec(resource);
  return m ? { service: m[1]!, action: m[2]! } : undefined;
}

function targets(state: AslState): string[] {
  const out: string[] = [];
  if ('Next' in state && typeof state.Next === 'string') out.push(state.Next);
  if (state.Type === 'Choice') {
    for (const c of state.Choices) out.push(c.Next);
    if (state.Default) out.push(state.Default);
  }
  if (state.Type === 'Task') for (const c of state.Catch ?? []) out.push(c.Next);
  return out;
}

function isTerminal(state: AslState): boolean {
  return state.Type === 'Succeed' || state.Type === 'Fail' || ('End' in state && state.End === true);
}

function reachable(def: AslDefinition, from: string, skip: (name: string, s: AslState) => boolean): Set<string> {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const name = stack.pop()!;
    const state = def.States[name];
    if (!state || seen.has(name) || skip(name, state)) continue;
    seen.add(name);
    stack.push(...targets(state));
  }
  return seen;
}

function conditionVariables(c: AslChoiceCondition): string[] {
  return [c.Variable ?? '', ...(c.And ?? []).flatMap(conditionVariables), ...(c.Or ?? []).flatMap(conditionVariables), ...(c.Not ? conditionVariables(c.Not) : [])].filter(Boolean);
}

/**
 * Structural checks of a playbook: every target exists, every state is reachable, some state ends, every
 * Task's failures are caught into the failure audit path, retries are bounded, and every way to the end
 * passes through an audit record (DynamoDB putItem) and a notification (SNS publish). Returns the problems
 * found, empty when the definition is sound.
 */
export function validateAsl(def: AslDefinition, opts: AslValidationOptions): string[] {
  const problems: string[] = [];
  const names = Object.keys(def.States);
  if (def.QueryLanguage !== undefined && def.QueryLanguage !== 'JSONPath') problems.push(`QueryLanguage must be JSONPath, got ${String(def.QueryLanguage)}`);
  if (!def.States[def.StartAt]) problems.push(`StartAt ${def.StartAt} is not a state`);
  if (!def.States[opts.failureAuditState]) problems.push(`failure audit state ${opts.failureAuditState} is missing`);
  if (JSON.stringify(def).includes('{%')) problems.push('JSONata expressions ({% … %}) found: playbooks are JSONPath');
  // moto 5.2 returns `[value]` for `$.a[0].b`, AWS returns `value`: select `$.a[0]` first, then the field.
  for (const m of JSON.stringify(def).matchAll(/\$[\w.$]*\[\d+\]\.[\w]+/g)) problems.push(`${m[0]}: an index followed by a field reads differently on moto and AWS`);

  for (const [name, state] of Object.entries(def.States)) {
    if (name.length > 80) problems.push(`${name}: state names are at most 80 characters`);
    for (const t of targets(state)) if (!def.States[t]) problems.push(`${name}: target ${t} does not exist`);
    const hasNext = 'Next' in state && typeof state.Next === 'string';
    const hasEnd = 'End' in state && state.End === true;
    if (state.Type !== 'Choice' && state.Type !== 'Succeed' && state.Type !== 'Fail' && hasNext === hasEnd) {
      problems.push(`${name}: needs exactly one of Next or End`);
    }
    if (state.Type === 'Choice') {
      if (state.Choices.length === 0) problems.push(`${name}: a Choice needs at least one rule`);
      for (const rule of state.Choices) if (conditionVariables(rule).length === 0) problems.push(`${name}: a Choice rule without Variable`);
    }
    if (state.Type === 'Wait' && (state.Seconds === undefined) === (state.SecondsPath === undefined)) {
      problems.push(`${name}: a Wait needs exactly one of Seconds or SecondsPath`);
    }
    if (state.Type === 'Task') {
      const sdk = parseSdkResource(state.Resource);
      if (!sdk && !OPTIMISED_TASKS.has(state.Resource)) problems.push(`${name}: unsupported resource ${state.Resource}`);
      if (sdk && !(SDK_SERVICES as readonly string[]).includes(sdk.service)) {
        problems.push(`${name}: aws-sdk service ${sdk.service} is not one of boto3's names ${SDK_SERVICES.join(', ')}`);
      }
      for (const r of state.Retry ?? []) {
        if ((r.MaxAttempts ?? 3) > RETRY_LIMITS.maxAttempts) problems.push(`${name}: Retry MaxAttempts ${r.MaxAttempts} > ${RETRY_LIMITS.maxAttempts}`);
        if ((r.IntervalSeconds ?? 1) > RETRY_LIMITS.maxIntervalSeconds) problems.push(`${name}: Retry IntervalSeconds ${r.IntervalSeconds} > ${RETRY_LIMITS.maxIntervalSeconds}`);
        if ((r.BackoffRate ?? 2) > RETRY_LIMITS.maxBackoffRate) problems.push(`${name}: Retry BackoffRate ${r.BackoffRate} > ${RETRY_LIMITS.maxBackoffRate}`);
        if (r.ErrorEquals.includes('States.ALL')) problems.push(`${name}: retrying States.ALL would retry permanent failures`);
      }
      const catchAll = (state.Catch ?? []).find((c) => c.ErrorEquals.includes('States.ALL'));
      const onFailurePath = reachable(def, opts.failureAuditState, () => false).has(name);
      if (!onFailurePath) {
        if (!catchAll) problems.push(`${name}: a Task outside the failure path needs a Catch of States.ALL`);
        else if (!reachable(def, catchAll.Next, () => false).has(opts.failureAuditState)) {
          problems.push(`${name}: its States.ALL Catch (→ ${catchAll.Next}) never reaches ${opts.failureAuditState}`);
        }
      }
    }
  }

  const live = reachable(def, def.StartAt, () => false);
  for (const n of names) if (!live.has(n)) problems.push(`${n}: unreachable from ${def.StartAt}`);
  if (![...live].some((n) => isTerminal(def.States[n]!))) problems.push('no terminal state (End, Succeed or Fail) is reachable');

  // Every way to an end must record and notify: without those states, no terminal may be reachable.
  const isAudit = (_: string, s: AslState) => s.Type === 'Task' && s.Resource === 'arn:aws:states:::aws-sdk:dynamodb:putItem';
  const isNotify = (_: string, s: AslState) => s.Type === 'Task' && (s.Resource === 'arn:aws:states:::sns:publish' || s.Resource === 'arn:aws:states:::aws-sdk:sns:publish');
  const endsWithout = (skip: typeof isAudit) => [...reachable(def, def.StartAt, skip)].filter((n) => isTerminal(def.States[n]!) && def.States[n]!.Type !== 'Fail');
  for (const n of endsWithout(isAudit)) problems.push(`${n}: reachable end without an audit record (dynamodb:putItem)`);
  for (const n of endsWithout(isNotify)) problems.push(`${n}: reachable end without a notification (sns:publish)`);
  if (names.some((n) => isAudit(n, def.States[n]!)) === false) problems.push('no audit record (dynamodb:putItem) at all');
  return problems;
}
