// Porter stemming from a small, well-kept library rather than hand-rolled suffix rules: "connections",
// "checks", "exceeded" and "throttling" must meet their stems the same way in every class.
import { stemmer } from 'stemmer';

/**
 * Message classes by meaning, not by exact phrase. A class is a conjunction of concepts; a concept is a set of
 * words and phrases (synonyms, singular and plural, any inflection — everything is compared as Porter stems
 * of lower-cased words, with CamelCase split: `OperationalError` reads "operational error", `AccessDenied`
 * "access denied"). So "Maximum connections exceeded for database mydb" (seeds/004), PostgreSQL's "sorry, too
 * many clients already" and MySQL's "Too many connections" all read as connection exhaustion, and "failed
 * ELB health check" (singular) and "failed container health checks" as a health-check failure.
 */
export const MESSAGE_CLASSES = [
  'connection-exhaustion',
  'connection-failure',
  'health-check-failure',
  'out-of-memory',
  'disk-full',
  'throttling',
  'access-denied',
  'auth-failure',
  'auth-probe',
] as const;
export type MessageClass = (typeof MESSAGE_CLASSES)[number];

/** Words of a line: CamelCase split, lower-cased, non-alphanumerics dropped, each stemmed. */
export function stems(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => stemmer(w));
}

/** A concept: any of its words or phrases (each a sequence of stems). */
export type Concept = string[][];
export const concept = (...phrases: string[]): Concept => phrases.map((p) => stems(p));

const CONNECTION = concept('connection', 'connections', 'connect', 'connecting', 'client', 'clients', 'slot', 'slots', 'pool', 'session', 'sessions');
const ENDPOINT = concept('connection', 'connections', 'connect', 'connecting', 'server', 'host', 'socket', 'upstream', 'database', 'db', 'backend', 'endpoint');
const LIMIT = concept('too many', 'maximum', 'max', 'exceeded', 'exceeds', 'exceed', 'exhausted', 'exhaustion', 'limit', 'limits', 'reached', 'reserved', 'remaining', 'overflow', 'saturated');
const FAILED = concept(
  'refused', 'refusing', 'timed out', 'timeout', 'timeouts', 'could not', 'cannot', 'can not', 'unable', 'failed', 'failure', 'failing', 'fails',
  'lost', 'reset', 'unreachable', 'closed unexpectedly', 'broken pipe', 'no route', 'operational error', 'interface error',
);
const HEALTH = concept('health check', 'health checks', 'healthcheck', 'healthchecks', 'unhealthy', 'liveness', 'readiness', 'health probe');
const HEALTH_BAD = concept('failed', 'failing', 'fails', 'failure', 'unhealthy', 'timed out', 'timeout', 'stopped', 'deregistered', 'killed', 'restarted');
const MEMORY = concept('memory', 'heap', 'oom', 'oom killer', 'oomkilled', 'swap');
const MEMORY_BAD = concept('out of', 'error', 'exhausted', 'exceeded', 'cannot allocate', 'could not allocate', 'killed', 'kill', 'limit', 'oom', 'insufficient', 'no more');
const STORAGE = concept('no space left', 'disk space', 'free space', 'disk', 'disks', 'filesystem', 'file system', 'device', 'volume', 'quota', 'storage', 'inode', 'inodes', 'partition');
const FULL = concept('no space left', 'full', 'exceeded', 'exhausted', 'out of', 'no free', 'insufficient');
const THROTTLE = concept('throttled', 'throttling', 'throttle', 'rate exceeded', 'too many requests', 'slow down', 'request limit exceeded', 'rate limit', 'rate limited', 'rate limit exceeded', 'provisioned throughput exceeded', 'request limit');
const DENIED = concept('access denied', 'permission denied', 'not authorized', 'unauthorized', 'forbidden', 'unauthorized operation', 'insufficient permissions', 'insufficient privileges', 'not permitted', 'operation not permitted');

// A failed sign-in: an authentication word with a failure word (`Failed password`, `PAM: Authentication failure`,
// `ROOT LOGIN REFUSED`, `Auth fail`), or a user refused as such (`Invalid user`, `User root … not allowed`). "User"
// alone with "failed" is not one: `failed to update user record` is an application error.
const AUTH = concept(
  'authentication', 'authenticate', 'authenticating', 'auth', 'login', 'logins', 'logon', 'log in', 'sign in', 'signin', 'password', 'passwords',
  'passwd', 'credential', 'credentials', 'publickey', 'public key', 'keyboard interactive', 'hostbased', 'two factor', 'mfa',
);
const AUTH_BAD = concept(
  'failed', 'failure', 'failures', 'fail', 'fails', 'failing', 'invalid', 'illegal', 'refused', 'rejected', 'not allowed', 'denied', 'incorrect',
  'wrong', 'bad', 'mismatch', 'too many', 'locked', 'error', 'expired',
);
// "Invalid" next to "user" is a refused user only as a phrase: `Invalid input from user 677` is a validation error.
const USER_REFUSED = concept('invalid user', 'illegal user', 'unknown user', 'user unknown', 'invalid username', 'unknown username', 'invalid login');
const USER = concept('user', 'users', 'username', 'account');
const USER_BAD = concept('not allowed', 'not known', 'not permitted', 'disallowed', 'locked');

// A probe: a client that left or was dropped before it authenticated, or whose protocol handshake failed — what
// scanners and brute-force tools leave in an SSH server's log between (or instead of) failed passwords. sshd tags
// the pre-authentication stage `[preauth]` and names a user who never finished as "authenticating user"; a
// session that ends after sign-in (`Disconnected from … port 22`, `session closed`) is neither.
const ENDED = concept(
  'closed', 'reset', 'disconnect', 'disconnected', 'disconnecting', 'dropped', 'terminated', 'aborted', 'timeout', 'timed out', 'gave up', 'hung up',
);
const BEFORE_AUTH = concept('preauth', 'pre auth', 'pre authentication', 'authenticating user', 'before authentication', 'login grace time', 'unauthenticated');
// The protocol's opening: the version/identification exchange, the banner, key exchange and algorithm negotiation.
const HANDSHAKE = concept(
  'identification string', 'protocol identifier', 'protocol identification', 'protocol version', 'version identification', 'banner exchange', 'banner line',
  'key exchange', 'kex', 'negotiate', 'negotiation',
);
const HANDSHAKE_BAD = concept(
  'did not receive', 'bad', 'invalid', 'too long', 'unable', 'no matching', 'closed', 'reset', 'malformed', 'mismatch', 'unsupported', 'not supported',
  'incompatible', 'failed', 'failure', 'error', 'timeout', 'timed out',
);
const NO_COMMON = concept('no matching', 'no common', 'no mutual');
const ALGORITHM = concept('mac', 'hmac', 'cipher', 'ciphers', 'key exchange', 'kex', 'host key type', 'hostkey', 'compression', 'algorithm', 'algorithms');
// An address the host's access rules turned away at connect (tcp_wrappers' `refused connect from`).
const PEER_REFUSED = concept('refused connect from', 'refused connection from');

/** A class is any of its readings; a reading is a conjunction of concepts. */
const CLASSES: Record<MessageClass, Concept[][]> = {
  'connection-exhaustion': [[CONNECTION, LIMIT]],
  'connection-failure': [[ENDPOINT, FAILED]],
  'health-check-failure': [[HEALTH, HEALTH_BAD]],
  'out-of-memory': [[MEMORY, MEMORY_BAD]],
  'disk-full': [[STORAGE, FULL]],
  throttling: [[THROTTLE]],
  'access-denied': [[DENIED]],
  'auth-failure': [[AUTH, AUTH_BAD], [USER_REFUSED], [USER, USER_BAD]],
  'auth-probe': [[ENDED, BEFORE_AUTH], [HANDSHAKE, HANDSHAKE_BAD], [NO_COMMON, ALGORITHM], [PEER_REFUSED]],
};

/** Whether the stemmed words hold any of the concept's words or phrases (a phrase as consecutive words). */
export function hasConcept(words: readonly string[], c: Concept): boolean {
  for (const phrase of c) {
    outer: for (let i = 0; i + phrase.length <= words.length; i++) {
      for (let j = 0; j < phrase.length; j++) if (words[i + j] !== phrase[j]) continue outer;
      return true;
    }
  }
  return false;
}

// Cheap guard before tokenizing: a line that shares no stem prefix with any class cannot be in one. Most
// ordinary lines (requests served, jobs started) never pay for the stemming.
const MAYBE = /connect|client|slot|pool|session|server|host|socket|upstream|database|\bdb\b|backend|endpoint|health|unhealth|liveness|readiness|memor|heap|oom|swap|space|disk|file ?system|device|volume|quota|storage|inode|partition|throttl|rate|too many|slow ?down|denied|forbidden|authori|permi|privileg|auth|log ?[io]n|sign ?in|passw|credential|publickey|public key|keyboard|hostbased|factor|mfa|invalid|illegal|unknown|not (allowed|known|permitted)|disallowed|locked|identification|protocol|banner|kex|key exchange|negotiat|no (matching|common|mutual)/i;

const cache = new Map<string, readonly MessageClass[]>();
let cachedChars = 0;
/**
 * The memo's bound, in characters of the texts it keys on. Its keys are whole messages, which it keeps alive after
 * their window's records are gone: bounded at 20,000 entries it could hold megabytes of old lines (an EKS line runs
 * to a kilobyte). A million characters (1–2 MB) is thousands of lines; a miss only costs the stemming again.
 */
const MAX_CACHED_CHARS = 1 << 20;
const NONE: readonly MessageClass[] = [];

/** The classes a message belongs to (usually none or one). Memoized per text (bounded). */
export function messageClasses(text: string): readonly MessageClass[] {
  if (!MAYBE.test(text)) return NONE;
  const hit = cache.get(text);
  if (hit) return hit;
  const words = stems(text);
  const out = MESSAGE_CLASSES.filter((k) => CLASSES[k].some((reading) => reading.every((c) => hasConcept(words, c))));
  // Connection exhaustion is a more specific reading of a connection failure ("too many clients" refused).
  const res = out.length ? Object.freeze(out) : NONE;
  if (cachedChars + text.length > MAX_CACHED_CHARS) {
    cache.clear();
    cachedChars = 0;
  }
  cache.set(text, res);
  cachedChars += text.length;
  return res;
}

export function inClass(text: string, k: MessageClass): boolean {
  return messageClasses(text).includes(k);
}
