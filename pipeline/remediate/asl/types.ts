/**
 * The subset of the Amazon States Language (JSONPath flavour) the playbooks use. Typed so that a playbook
 * builder that forgets a `Next` or misspells a field fails to compile, before the validator even runs.
 */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface AslRetrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
}

export interface AslCatcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
}

interface AslStateBase {
  Comment?: string;
  InputPath?: string | null;
  OutputPath?: string | null;
}

/** A state that continues: exactly one of Next / End. */
type Continuation = { Next: string; End?: never } | { End: true; Next?: never };

export type AslTaskState = AslStateBase &
  Continuation & {
    Type: 'Task';
    Resource: string;
    Parameters?: JsonObject;
    ResultSelector?: JsonObject;
    ResultPath?: string | null;
    TimeoutSeconds?: number;
    Retry?: AslRetrier[];
    Catch?: AslCatcher[];
  };

export type AslPassState = AslStateBase &
  Continuation & {
    Type: 'Pass';
    Parameters?: JsonObject;
    Result?: JsonValue;
    ResultPath?: string | null;
  };

export type AslWaitState = AslStateBase & Continuation & { Type: 'Wait'; Seconds?: number; SecondsPath?: string };

/** A Choice rule: a comparison on `Variable`, or a combination (And / Or / Not). Only top-level rules carry Next. */
export interface AslChoiceCondition {
  Variable?: string;
  StringEquals?: string;
  StringMatches?: string;
  NumericLessThan?: number;
  NumericLessThanEquals?: number;
  NumericGreaterThan?: number;
  NumericLessThanPath?: string;
  NumericGreaterThanPath?: string;
  NumericGreaterThanEqualsPath?: string;
  NumericGreaterThanEquals?: number;
  BooleanEquals?: boolean;
  IsPresent?: boolean;
  And?: AslChoiceCondition[];
  Or?: AslChoiceCondition[];
  Not?: AslChoiceCondition;
}
export type AslChoiceRule = AslChoiceCondition & { Next: string };

export type AslChoiceState = AslStateBase & { Type: 'Choice'; Choices: AslChoiceRule[]; Default?: string };
export type AslSucceedState = AslStateBase & { Type: 'Succeed' };
export type AslFailState = { Type: 'Fail'; Comment?: string; Error?: string; Cause?: string; CausePath?: string; ErrorPath?: string };

export type AslState = AslTaskState | AslPassState | AslWaitState | AslChoiceState | AslSucceedState | AslFailState;

export interface AslDefinition {
  Comment?: string;
  QueryLanguage?: 'JSONPath';
  StartAt: string;
  TimeoutSeconds?: number;
  States: Record<string, AslState>;
}
