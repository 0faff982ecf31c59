import type { FailureClass, IncidentKind } from '../../core/index.ts';
import { CASCADE_KIND } from '../../core/index.ts';
import { MIN_PLANTED_LENGTH, namesRoot, tokenIndex } from '../match/index.ts';
import type { Observation } from '../observe/index.ts';
import type { ExpectedIncident, ExplanationScore } from './types.ts';

/**
 * The failure classes the harness accepts for each incident kind: its own reading of its truth, kept here and
 * never shown to the analyzer (which has its own map from finding kinds, pipeline/analyze). Where an incident
 * can honestly be read two ways (an app's DB errors are a dependency failing or its pool running dry), both
 * count. A kind missing here (a kind added later) is scored on the root entity only.
 */
export const EXPECTED_FAILURE_CLASSES: Partial<Record<IncidentKind, readonly FailureClass[]>> = {
  'waf-geo-anomaly': ['flood', 'scanning'],
  'waf-credential-stuffing': ['brute-force'],
  'waf-sqli-scanner': ['scanning'],
  'waf-http-flood': ['flood'],
  'waf-bad-bots': ['scanning', 'flood'],
  'vpc-port-scan': ['scanning'],
  'vpc-ssh-bruteforce': ['brute-force'],
  'vpc-exfiltration': ['data-exfiltration'],
  'vpc-ddos': ['flood'],
  'ec2-ssh-bruteforce': ['brute-force'],
  'ec2-disk-full': ['disk-full'],
  'ec2-oom': ['out-of-memory'],
  'cloudtrail-compromised-key': ['credential-compromise'],
  'cloudtrail-console-login-failures': ['brute-force'],
  'cloudtrail-access-denied-storm': ['access-denied'],
  'cloudtrail-root-usage': ['credential-compromise'],
  'lambda-timeout-storm': ['timeout'],
  // A spike of errors has one dominant cause the scenario draws at random: any class of an error a function
  // throws reads right, a class that says nothing ("unknown") or names an attack does not.
  'lambda-error-spike': ['dependency-unreachable', 'throttling', 'timeout', 'access-denied', 'out-of-memory', 'crash-loop', 'connection-exhaustion'],
  'lambda-memory-exhaustion': ['out-of-memory'],
  's3-mass-delete': ['mass-deletion'],
  's3-403-burst': ['access-denied'],
  's3-unusual-get-volume': ['data-exfiltration'],
  'rds-connection-exhaustion': ['connection-exhaustion'],
  'app-db-errors': ['dependency-unreachable', 'connection-exhaustion'],
  'ecs-task-restarts': ['crash-loop', 'health-check-failure'],
  // CrashLoopBackOff and OOMKilled restart storms both read as restarts; an OOM kill is also out of memory.
  'eks-crashloop-storm': ['crash-loop', 'out-of-memory'],
  'eks-api-forbidden-burst': ['access-denied', 'scanning'],
  'eks-exec-secret-access': ['credential-compromise', 'data-exfiltration'],
  'eks-node-not-ready': ['health-check-failure', 'dependency-unreachable'],
  [CASCADE_KIND]: ['connection-exhaustion'],
};

/** Does the text name one of the incident's entities (on token boundaries; short values would match by chance)? */
function namesEntity(text: string, inc: ExpectedIncident): boolean {
  const hay = text.toLowerCase();
  return Object.values(inc.entities).some((v) => typeof v === 'string' && v.length >= MIN_PLANTED_LENGTH && tokenIndex(hay, v.toLowerCase()) >= 0);
}

/**
 * Scores the explanation attached to an incident's findings: the root-cause finding's when the incident has an
 * expected root, else the earliest detecting finding's that carries one. Right when it names the true root (for a
 * cascade: the root entity comes first, before any other tier, as harness/match reads a chain's head; otherwise:
 * one of the incident's entities) and its failure class is one the incident kind accepts.
 */
export function scoreExplanation(inc: ExpectedIncident, candidates: readonly Observation[]): ExplanationScore | undefined {
  const o = candidates.find((c) => c.explanation);
  if (!o?.explanation) return undefined;
  const rootNamed = inc.expectedRootCause ? namesRoot(o.explanation, inc.expectedRootCause) : namesEntity(o.explanation, inc);
  const expected = EXPECTED_FAILURE_CLASSES[inc.kind];
  const classCorrect = expected === undefined ? null : o.failureClass !== undefined && (expected as readonly string[]).includes(o.failureClass);
  return {
    findingId: o.id,
    text: o.explanation,
    ...(o.failureClass === undefined ? {} : { failureClass: o.failureClass }),
    expectedClasses: [...(expected ?? [])],
    rootNamed,
    classCorrect,
    correct: rootNamed && classCorrect !== false,
  };
}
