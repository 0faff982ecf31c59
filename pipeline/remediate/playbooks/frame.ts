import type { AslDefinition, AslRetrier, AslState, AslTaskState, JsonObject, JsonValue } from '../asl/types.ts';
import type { PlaybookContext } from './types.ts';

/** Names every playbook shares: the failure audit path is what validateAsl checks every Catch leads to. */
export const FRAME = {
  recordSuccess: 'RecordSuccess',
  notifySuccess: 'NotifySuccess',
  done: 'Done',
  recordFailure: 'RecordFailure',
  notifyFailure: 'NotifyFailure',
  failed: 'Failed',
} as const;

/** The audit table's keys (bootstrap creates it with these; the dispatcher and the breaker use them too). */
export const AUDIT_KEYS = { partition: 'pk', sort: 'sk' } as const;

/** Marker field of the notices playbooks publish, so the dispatcher can tell them from findings. */
export const NOTICE_MARKER = 'firedrill.remediation' as const;

const CATCH_ALL = (next: string = FRAME.recordFailure) => [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: next }];

/** Throttling is the one failure worth retrying blindly; names differ between AWS and moto, so both are listed. */
export function throttleRetry(ctx: PlaybookContext, names: string[] = []): AslRetrier[] {
  return [{ ErrorEquals: ['States.Timeout', ...names], IntervalSeconds: ctx.retryIntervalSeconds, MaxAttempts: 2, BackoffRate: 2 }];
}

export interface SdkTaskOptions {
  resultPath?: string | null;
  resultSelector?: JsonObject;
  retry?: AslRetrier[];
  /** Specific catches tried before the catch-all into the failure path. */
  catches?: { errors: string[]; next: string }[];
  comment?: string;
}

/** An aws-sdk task whose every failure, unless caught more specifically, ends in the failure audit path. */
export function sdkTask(service: string, action: string, parameters: JsonObject, next: string, opts: SdkTaskOptions = {}): AslTaskState {
  const task: AslTaskState = {
    Type: 'Task',
    Resource: `arn:aws:states:::aws-sdk:${service}:${action}`,
    Parameters: parameters,
    ResultPath: opts.resultPath === undefined ? null : opts.resultPath,
    Next: next,
    Catch: [...(opts.catches ?? []).map((c) => ({ ErrorEquals: c.errors, ResultPath: '$.error', Next: c.next })), ...CATCH_ALL()],
  };
  if (opts.comment) task.Comment = opts.comment;
  if (opts.resultSelector) task.ResultSelector = opts.resultSelector;
  if (opts.retry) task.Retry = opts.retry;
  return task;
}

function auditItem(status: 'succeeded' | 'failed'): JsonObject {
  const item: JsonObject = {
    [AUDIT_KEYS.partition]: { 'S.$': "States.Format('incident#{}', $.incidentId)" },
    [AUDIT_KEYS.sort]: { 'S.$': "States.Format('result#{}', $$.Execution.Name)" },
    record: { S: 'execution-result' },
    status: { S: status },
    incidentId: { 'S.$': '$.incidentId' },
    findingKind: { 'S.$': '$.findingKind' },
    playbook: { 'S.$': '$.playbook' },
    mode: { S: 'live' },
    executionArn: { 'S.$': '$$.Execution.Id' },
    at: { 'S.$': '$$.State.EnteredTime' },
    params: { 'S.$': 'States.JsonToString($.params)' },
  };
  if (status === 'failed') {
    // The whole error object as text: Cause is absent from some errors, and a missing path would fail the audit itself.
    item.error = { 'S.$': 'States.JsonToString($.error)' };
  }
  return item;
}

/** Two states: build the notice as data (a Pass), then publish it as JSON text — no hand-escaped JSON in ASL. */
function notice(ctx: PlaybookContext, status: 'succeeded' | 'failed', publishState: string, next: string): Record<string, AslState> {
  const build = `Build${publishState}`;
  return {
    [build]: {
      Type: 'Pass',
      Parameters: {
        notice: NOTICE_MARKER,
        status,
        'incidentId.$': '$.incidentId',
        'playbook.$': '$.playbook',
        'findingKind.$': '$.findingKind',
        'executionArn.$': '$$.Execution.Id',
      },
      ResultPath: '$.notice',
      Next: publishState,
    },
    [publishState]: {
      Type: 'Task',
      Resource: 'arn:aws:states:::sns:publish',
      Parameters: {
        TopicArn: ctx.notifyTopicArn,
        Subject: `firedrill remediation ${status}`,
        'Message.$': 'States.JsonToString($.notice)',
        MessageAttributes: { 'firedrill.type': { DataType: 'String', StringValue: 'remediation-result' } },
      },
      ResultPath: null,
      Next: next,
      Retry: throttleRetry(ctx),
      Catch: status === 'succeeded' ? CATCH_ALL() : CATCH_ALL(FRAME.failed),
    },
  };
}

/** Services whose API members are camelCase (boto3 wants them so; AWS's aws-sdk integration wants PascalCase). */
const CAMEL_CASE_SERVICES = new Set(['ecs', 'eks']);

function camelKeys(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(camelKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [`${k[0]!.toLowerCase()}${k.slice(1)}`, camelKeys(x)]));
  return v;
}

/** The moto dialect: camelCase parameters for camelCase APIs (see PlaybookContext.sdkDialect). */
function toDialect(ctx: PlaybookContext, states: Record<string, AslState>): Record<string, AslState> {
  if (ctx.sdkDialect !== 'moto') return states;
  return Object.fromEntries(
    Object.entries(states).map(([name, st]) => {
      const service = st.Type === 'Task' ? /^arn:aws:states:::aws-sdk:([a-z0-9]+):/.exec(st.Resource)?.[1] : undefined;
      if (st.Type !== 'Task' || !service || !CAMEL_CASE_SERVICES.has(service) || !st.Parameters) return [name, st];
      return [name, { ...st, Parameters: camelKeys(st.Parameters) as JsonObject }];
    }),
  );
}

/**
 * Wraps a playbook's own states in the shared ending: success → audit record → notification → Succeed;
 * any failure → audit record (with the error) → notification → Fail. The action states hand over to
 * FRAME.recordSuccess when done, and every Task catches into FRAME.recordFailure.
 */
export function framePlaybook(ctx: PlaybookContext, comment: string, startAt: string, states: Record<string, AslState>): AslDefinition {
  return {
    Comment: comment,
    QueryLanguage: 'JSONPath',
    StartAt: startAt,
    // A ceiling far above any healthy run: a stuck execution must not hold its incident forever.
    TimeoutSeconds: 900,
    States: {
      ...toDialect(ctx, states),
      [FRAME.recordSuccess]: {
        Type: 'Task',
        Resource: 'arn:aws:states:::aws-sdk:dynamodb:putItem',
        Parameters: { TableName: ctx.auditTable, Item: auditItem('succeeded') },
        ResultPath: null,
        Retry: throttleRetry(ctx),
        Catch: CATCH_ALL(),
        Next: `Build${FRAME.notifySuccess}`,
      },
      ...notice(ctx, 'succeeded', FRAME.notifySuccess, FRAME.done),
      [FRAME.done]: { Type: 'Succeed' },
      [FRAME.recordFailure]: {
        Type: 'Task',
        Resource: 'arn:aws:states:::aws-sdk:dynamodb:putItem',
        Parameters: { TableName: ctx.auditTable, Item: auditItem('failed') },
        ResultPath: null,
        Retry: throttleRetry(ctx),
        Catch: CATCH_ALL(FRAME.failed),
        Next: `Build${FRAME.notifyFailure}`,
      },
      ...notice(ctx, 'failed', FRAME.notifyFailure, FRAME.failed),
      [FRAME.failed]: { Type: 'Fail', Error: 'RemediationFailed', Cause: 'an action of the playbook failed; see the audit record and the execution history' },
    },
  };
}
