/**
 * Secrets are taken out of the evidence before any of it leaves the process (a model endpoint, a prompt log).
 * Two kinds of replacement:
 * - a secret (password, secret key, token, private key, signed header) becomes `[redacted:<kind>]` and is gone;
 * - an identifier that is sensitive but that an explanation must be able to name (an AWS access key id) becomes a
 *   numbered placeholder, `[aws-access-key-id-1]`, which `restore` puts back into the model's answer locally.
 * The rules run in order, most specific first, so a JWT inside an Authorization header or a password inside a
 * connection URL is found by its own rule. Over-redaction is preferred to a leak.
 */

export const SECRET_KINDS = [
  'private-key',
  'jwt',
  'auth-header',
  'bearer-token',
  'url-password',
  'aws-session-token',
  'aws-secret-key',
  'secret-value',
  'aws-access-key-id',
] as const;
export type SecretKind = (typeof SECRET_KINDS)[number];

const redacted = (kind: SecretKind) => `[redacted:${kind}]`;
/** A value that is already a placeholder is left alone (rules run one after another over the same text). */
const PLACEHOLDER = /^\\?["']?\[(?:redacted:|aws-access-key-id-\d)/;

// PEM blocks, whole (or to the end of the text when a line was cut before the END marker).
const PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----|$)/g;
// header.payload.signature, base64url; the header of a JWT always starts with `{"` = eyJ.
const JWT = /\beyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g;
// Header lines (HTTP dumps, logged request headers, JSON header maps): the whole value.
const AUTH_HEADER = /(?<![A-Za-z0-9-])(authorization|proxy-authorization|x-api-key|x-auth-token|cookie|set-cookie)(\\?["']?\s*[:=]\s*\\?["']?)((?!\[redacted)[^\s"'\\][^"'\\\r\n]*)/gi;
// `Bearer <token>` / `Basic <base64>` anywhere; the token must look like one (a digit or a symbol), so the
// words "basic authentication" stay.
const BEARER = /\b(Bearer|Basic|Digest)(\s+)(?=[A-Za-z0-9._~+/=-]*[0-9._~+/=-])([A-Za-z0-9._~+/=-]{8,})/gi;
// scheme://user:password@host (postgres, mysql, mongodb+srv, redis, amqp, https …); the user stays.
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:@/]*):([^\s@/]+)@/gi;
// AWS temporary credentials' session tokens start with these base64 prefixes ("\n\x09origin", "\x17\x0a\x06\x65r/aws" …).
const SESSION_TOKEN = /(?<![A-Za-z0-9/+=])(?:IQoJb3JpZ2lu|IQoDb3JpZ2lu|FwoGZXIvYXdz|FQoGZXIvYXdz|AgoJb3JpZ2lu)[A-Za-z0-9/+=]{20,}/g;
// A 40-character base64-ish secret access key after a key-ish word (`aws_secret_access_key = …`, `SecretAccessKey: …`).
const SECRET_KEY = /(?<![A-Za-z0-9])([A-Za-z0-9_-]*(?:secret|key)[A-Za-z0-9_-]*)(\W{1,5})([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi;
// name=value and "name": "value" pairs whose name says secret: password, pwd, secret, token, api key, signature,
// credential … (`PGPASSWORD`, `client_secret`, `x-amz-security-token`, `refresh_token`, `Pwd` of an ADO string).
const SECRET_NAME = '[A-Za-z0-9_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|private[_-]?key|signature|credential|passphrase)[A-Za-z0-9_.-]*';
const SECRET_PAIR = new RegExp(
  `(?<![A-Za-z0-9])(${SECRET_NAME})(\\\\?["']?\\s*[:=]\\s*)(\\\\?"(?:[^"\\\\]|\\\\[^"])*\\\\?"|'[^']*'|[^\\s"',;&}\\])]+)`,
  'gi',
);
const ACCESS_KEY_ID = /(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])/g;

export interface RedactionReport {
  /** How many of each kind were taken out. */
  counts: Partial<Record<SecretKind, number>>;
}

/**
 * One redactor per analysis: it numbers identifiers consistently across every text of the evidence, and can put
 * them back into the answer. Secrets are never kept.
 */
export class Redactor {
  private readonly ids = new Map<string, string>();
  private readonly back = new Map<string, string>();
  readonly counts: Partial<Record<SecretKind, number>> = {};

  private count(kind: SecretKind): void {
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
  }

  /** The text without secrets. */
  redact(text: string): string {
    let s = text;
    s = s.replace(PRIVATE_KEY, () => (this.count('private-key'), redacted('private-key')));
    s = s.replace(JWT, () => (this.count('jwt'), redacted('jwt')));
    s = s.replace(AUTH_HEADER, (_m, name: string, sep: string) => (this.count('auth-header'), `${name}${sep}${redacted('auth-header')}`));
    s = s.replace(BEARER, (_m, scheme: string, sp: string) => (this.count('bearer-token'), `${scheme}${sp}${redacted('bearer-token')}`));
    s = s.replace(URL_PASSWORD, (_m, scheme: string, user: string) => (this.count('url-password'), `${scheme}${user}:${redacted('url-password')}@`));
    s = s.replace(SESSION_TOKEN, () => (this.count('aws-session-token'), redacted('aws-session-token')));
    s = s.replace(SECRET_KEY, (m, name: string, sep: string, value: string) => {
      // An access key id is 20 characters, never 40; a placeholder is not a key.
      if (PLACEHOLDER.test(value)) return m;
      this.count('aws-secret-key');
      return `${name}${sep}${redacted('aws-secret-key')}`;
    });
    s = s.replace(SECRET_PAIR, (m, name: string, sep: string, value: string) => {
      if (PLACEHOLDER.test(value)) return m;
      this.count('secret-value');
      const q = /^\\?["']/.exec(value)?.[0] ?? '';
      return `${name}${sep}${q}${redacted('secret-value')}${q}`;
    });
    s = s.replace(ACCESS_KEY_ID, (id) => {
      this.count('aws-access-key-id');
      let ph = this.ids.get(id);
      if (!ph) {
        ph = `[aws-access-key-id-${this.ids.size + 1}]`;
        this.ids.set(id, ph);
        this.back.set(ph, id);
      }
      return ph;
    });
    return s;
  }

  /** Puts the identifiers back into a text that came back (a model's answer). Secrets stay redacted. */
  restore(text: string): string {
    return text.replace(/\[aws-access-key-id-\d+\]/g, (ph) => this.back.get(ph) ?? ph);
  }
}

/** One-shot redaction of a text (no identifiers kept to restore). */
export function redactSecrets(text: string): string {
  return new Redactor().redact(text);
}
