import type { FailureClass } from '../../core/index.ts';
// The detector's words of a line (Porter stems, CamelCase split): the analyzer's classes read text the same way.
import { concept, hasConcept, stems, type Concept } from '../detect/index.ts';

/**
 * Failure classes by meaning, not by exact phrase. A class is a conjunction of concepts; a concept is a set of
 * words and phrases (synonyms, singular and plural, any inflection: everything is compared as Porter stems of
 * lower-cased words, CamelCase split, so `OperationalError` reads "operational error" and `AccessDenied` "access
 * denied"). "sorry, too many clients already" (PostgreSQL), "Too many connections" (MySQL) and "Maximum
 * connections exceeded" all read as connection exhaustion; "Task failed ELB health checks" and "liveness probe
 * failed" as a health-check failure.
 */


const CONNECTION = concept('connection', 'connect', 'client', 'slot', 'pool', 'session');
const LIMIT = concept('too many', 'maximum', 'max', 'exceeded', 'exhausted', 'exhaustion', 'limit', 'reached', 'reserved', 'remaining', 'saturated', 'no more');
const ENDPOINT = concept('connection', 'connect', 'server', 'host', 'socket', 'upstream', 'database', 'db', 'backend', 'endpoint', 'dependency', 'name resolution', 'dns');
const FAILED = concept(
  'refused', 'could not', 'cannot', 'unable', 'failed', 'failure', 'lost', 'reset', 'unreachable', 'closed unexpectedly', 'broken pipe',
  'no route', 'operational error', 'interface error', 'not known', 'unavailable',
);
const HEALTH = concept('health check', 'healthcheck', 'unhealthy', 'liveness', 'readiness', 'health probe');
const HEALTH_BAD = concept('failed', 'failure', 'unhealthy', 'timed out', 'timeout', 'deregistered', 'killed');
const MEMORY = concept('memory', 'heap', 'oom', 'oom kill', 'oomkilled', 'swap', 'memory error');
const MEMORY_BAD = concept('out of', 'error', 'exhausted', 'exhaustion', 'exceeded', 'cannot allocate', 'could not allocate', 'killed', 'kill', 'oom', 'insufficient', 'all their', 'used all');
const STORAGE = concept('no space left', 'disk', 'filesystem', 'file system', 'device', 'volume', 'quota', 'storage', 'inode', 'partition');
const FULL = concept('no space left', 'full', 'exceeded', 'exhausted', 'out of', 'no free', 'insufficient');
const THROTTLE = concept('throttled', 'throttling', 'rate exceeded', 'too many requests', 'slow down', 'request limit exceeded', 'rate limited', 'provisioned throughput exceeded');
const DENIED = concept('access denied', 'permission denied', 'not authorized', 'unauthorized', 'forbidden', 'unauthorized operation', 'insufficient permissions', 'not permitted', '403 responses');
const CREDENTIAL = concept('access key', 'credential', 'credentials', 'root identity', 'root account', 'principal', 'api key', 'token');
const COMPROMISE = concept('compromised', 'leaked', 'exposed', 'stolen', 'never seen', 'never-seen', 'new network', 'new user agent', 'privilege escalation', 'root identity used', 'unusual location');
const AUTH = concept('login', 'log in', 'logon', 'sign in', 'signin', 'password', 'authentication', 'ssh', 'console login', 'credential stuffing', 'invalid user');
const AUTH_BAD = concept('failed', 'failure', 'invalid', 'incorrect', 'wrong', 'bad', 'stuffing', 'denied');
const PROBE = concept('port scan', 'probed', 'probe', 'scan', 'scanner', 'scanning', 'sql injection', 'xss', 'injection', 'bad bot', 'crawler', 'enumeration', 'distinct ports');
const FLOOD = concept('flood', 'ddos', 'denial of service', 'rate based', 'rate-based', 'distinct sources', 'request surge');
const TRANSFER = concept('mb', 'gb', 'bytes', 'transfer', 'upload', 'egress', 'outbound', 'exfiltration', 'exfiltrated', 'copied out', 'get volume', 'gets');
const TRANSFER_BAD = concept('never seen', 'never-seen', 'unusual', 'exfiltration', 'exfiltrated', 'threshold', 'external');
const DELETE = concept('delete', 'deleted', 'deletion', 'deletes', 'remove', 'removed', 'purge', 'wipe', 'drop');
const MASS = concept('operations', 'mass', 'bulk', 'thousands', 'objects', 'all', 'many', 'multi object', 'threshold');
const TIMEOUT = concept('timed out', 'timeout', 'timeouts', 'deadline exceeded', 'took too long', 'task timed out');
const CRASH = concept('crash', 'crashed', 'crash loop', 'crashloopbackoff', 'back off restarting', 'restart', 'restarts', 'restarted', 'exited', 'exit code', 'stopped', 'essential container', 'task stops', 'unable to consistently start', 'segmentation fault', 'panic');

/**
 * Each class with its concepts, most specific first: a text that reads as several classes counts for the first
 * (connection exhaustion is a more specific reading of a failing connection, a health check that timed out is a
 * health-check failure, a crash loop of out-of-memory kills is out of memory).
 */
const CLASSES: [FailureClass, Concept[]][] = [
  ['credential-compromise', [CREDENTIAL, COMPROMISE]],
  ['mass-deletion', [DELETE, MASS]],
  ['data-exfiltration', [TRANSFER, TRANSFER_BAD]],
  ['connection-exhaustion', [CONNECTION, LIMIT]],
  ['out-of-memory', [MEMORY, MEMORY_BAD]],
  ['disk-full', [STORAGE, FULL]],
  ['health-check-failure', [HEALTH, HEALTH_BAD]],
  ['throttling', [THROTTLE]],
  ['brute-force', [AUTH, AUTH_BAD]],
  ['access-denied', [DENIED]],
  ['scanning', [PROBE]],
  ['flood', [FLOOD]],
  ['timeout', [TIMEOUT]],
  ['crash-loop', [CRASH]],
  ['dependency-unreachable', [ENDPOINT, FAILED]],
];

/** The failure class a text reads as, or undefined when it reads as none. */
export function failureClassOf(text: string): FailureClass | undefined {
  const words = stems(text);
  for (const [k, concepts] of CLASSES) if (concepts.every((c) => hasConcept(words, c))) return k;
  return undefined;
}

/** One vote: a text read by meaning, or a class given outright (a prior). */
export type Vote = { text: string; weight: number } | { category: FailureClass; weight: number };

/** Votes of several texts and priors, each with a weight: the class with most weight (ties: the more specific class). */
export function vote(votes: Vote[]): { category: FailureClass; weight: number; total: number } | undefined {
  const weights = new Map<FailureClass, number>();
  let total = 0;
  for (const t of votes) {
    const k = 'category' in t ? t.category : failureClassOf(t.text);
    if (!k) continue;
    weights.set(k, (weights.get(k) ?? 0) + t.weight);
    total += t.weight;
  }
  let best: { category: FailureClass; weight: number } | undefined;
  for (const [k] of CLASSES) {
    const w = weights.get(k);
    if (w !== undefined && (!best || w > best.weight)) best = { category: k, weight: w };
  }
  return best ? { ...best, total } : undefined;
}
