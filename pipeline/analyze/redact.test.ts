import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Redactor, redactSecrets } from './redact.ts';

// Example values in AWS's and the standards' documented shapes (AWS's own example keys, RFC 7519's example JWT).
const AKIA = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const SESSION = 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDExampleSessionTokenValueForTestsOnly0123456789==';

describe('redactSecrets', () => {
  it.each([
    ['an access key id', `user bob used ${AKIA} from 203.0.113.9`, AKIA, '[aws-access-key-id-1]'],
    ['a temporary access key id', 'key ASIAY34FZKBOKMUTVV7A expired', 'ASIAY34FZKBOKMUTVV7A', '[aws-access-key-id-1]'],
    ['a secret key after aws_secret_access_key =', `aws_secret_access_key = ${SECRET}`, SECRET, '[redacted:aws-secret-key]'],
    ['a secret key in JSON (SecretAccessKey)', `{"AccessKeyId":"${AKIA}","SecretAccessKey":"${SECRET}"}`, SECRET, '[redacted:'],
    ['a secret key after a key-ish word and a space', `AWS_SECRET_ACCESS_KEY ${SECRET}`, SECRET, '[redacted:aws-secret-key]'],
    ['a session token by name', `aws_session_token=${SESSION}`, SESSION, '[redacted:'],
    ['a session token by its prefix alone', `creds ${SESSION} cached`, SESSION, '[redacted:aws-session-token]'],
    ['an x-amz-security-token header', `x-amz-security-token: ${SESSION}`, SESSION, '[redacted:'],
    ['a password in a URL', 'connecting to postgresql://app:Tr0ub4dor&3@orders-db:5432/orders', 'Tr0ub4dor&3', 'postgresql://app:[redacted:url-password]@orders-db'],
    ['a password in a redis URL without a user', 'redis://:s3cr3tP4ss@cache:6379/0', 's3cr3tP4ss', '[redacted:url-password]'],
    ['password=', 'login attempt password=hunter2! user=admin', 'hunter2!', 'password=[redacted:secret-value] user=admin'],
    ['pwd= in an ADO connection string', 'Server=db;Database=orders;User Id=app;Pwd=P@ssw0rd;', 'P@ssw0rd', 'Pwd=[redacted:secret-value];'],
    ['secret= in a query string', 'GET /callback?client_id=abc&client_secret=9f8e7d6c5b4a&state=1', '9f8e7d6c5b4a', 'client_secret=[redacted:secret-value]&state=1'],
    ['token= ', 'refresh token=tok_5f1e2d3c4b5a', 'tok_5f1e2d3c4b5a', 'token=[redacted:secret-value]'],
    ['a quoted JSON password with spaces', '{"user":"app","password":"correct horse battery"}', 'correct horse battery', '"password":"[redacted:secret-value]"'],
    ['an escaped JSON password inside a log line', 'body={\\"password\\":\\"hunter22\\",\\"u\\":1}', 'hunter22', '[redacted:secret-value]'],
    ['PGPASSWORD in an environment dump', 'PGPASSWORD=sup3rs3cret psql -h db', 'sup3rs3cret', 'PGPASSWORD=[redacted:secret-value]'],
    ['a bearer Authorization header', `Authorization: Bearer ${JWT}`, 'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c', 'Authorization: [redacted:'],
    ['a basic Authorization header', 'authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l', 'YWxhZGRpbjpvcGVuc2VzYW1l', 'authorization: [redacted:auth-header]'],
    ['a bearer token outside a header', 'sent Bearer abc123.def456-ghi to upstream', 'abc123.def456-ghi', 'Bearer [redacted:bearer-token]'],
    ['a JWT anywhere', `id_token ${JWT} accepted`, JWT, '[redacted:jwt]'],
    ['a cookie header', 'Cookie: session=8f7a6b5c4d; theme=dark', '8f7a6b5c4d', 'Cookie: [redacted:auth-header]'],
    ['a PEM private key', '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7bq98hX3\n-----END RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEA7bq98hX3', '[redacted:private-key]'],
    ['a private key cut before its END line', 'key: -----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAA', 'b3BlbnNzaC1rZXktdjEAAAAA', '[redacted:private-key]'],
    ['a mongodb+srv connection string', 'mongodb+srv://reporting:R3p0rt!ng@cluster0.example.net/app', 'R3p0rt!ng', 'mongodb+srv://reporting:[redacted:url-password]@'],
  ])('takes out %s', (_what, text, secret, shows) => {
    const out = redactSecrets(text);
    expect(out).not.toContain(secret);
    expect(out).toContain(shows);
  });

  it('leaves ordinary log lines alone', () => {
    for (const line of [
      'Failed password for invalid user admin from 203.0.113.9 port 51022 ssh2',
      '2026-11-21 10:00:01 UTC::@:[4242]:FATAL:  sorry, too many clients already',
      'Task timed out after 3.00 seconds',
      'Basic authentication is disabled for this endpoint',
      'REST.GET.OBJECT reports/2026/11/21/summary.csv "GET /reports/2026/11/21/summary.csv HTTP/1.1" 200',
      '(service checkout) has stopped 2 running tasks: (task 0a1b2c3d4e5f).',
    ]) expect(redactSecrets(line)).toBe(line);
  });

  it('numbers identifiers consistently and puts them back into an answer, never the secrets', () => {
    const r = new Redactor();
    const a = r.redact(`${AKIA} then ASIAY34FZKBOKMUTVV7A then ${AKIA} password=hunter2`);
    expect(a).toBe('[aws-access-key-id-1] then [aws-access-key-id-2] then [aws-access-key-id-1] password=[redacted:secret-value]');
    expect(r.restore('deactivate [aws-access-key-id-2] and rotate [redacted:secret-value]')).toBe('deactivate ASIAY34FZKBOKMUTVV7A and rotate [redacted:secret-value]');
    expect(r.counts).toEqual({ 'aws-access-key-id': 3, 'secret-value': 1 });
  });

  it('is idempotent: redacting twice changes nothing more', () => {
    const once = redactSecrets(`Authorization: Bearer ${JWT} aws_secret_access_key=${SECRET} ${AKIA}`);
    expect(new Redactor().redact(once)).toBe(once);
  });
});

// ─── Property: no generated secret survives, whatever surrounds it ──────────────────────────────────────
const chars = (alphabet: string, min: number, max: number) => fc.array(fc.constantFrom(...alphabet), { minLength: min, maxLength: max }).map((a) => a.join(''));
const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URLSAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const PASSWORD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#%*+-._~^';
// A secret of 12+ random characters: the surrounding words cannot contain it by chance.
const withDigit = (a: fc.Arbitrary<string>) => fc.tuple(a, fc.constantFrom(...'0123456789')).map(([s, d]) => `${s}${d}`);

const secrets: fc.Arbitrary<{ secret: string; text: string }> = fc.oneof(
  fc.tuple(fc.constantFrom('AKIA', 'ASIA'), chars(UPPER_DIGITS, 16, 16)).map(([p, s]) => ({ secret: p + s, text: p + s })),
  fc.tuple(fc.constantFrom('aws_secret_access_key=', 'SecretAccessKey: ', '"secretKey":"', 'AWS_SECRET_ACCESS_KEY '), chars(B64, 40, 40)).map(([k, s]) => ({ secret: s, text: k + s })),
  fc.tuple(fc.constantFrom('IQoJb3JpZ2lu', 'FwoGZXIvYXdz'), chars(B64, 40, 200)).map(([p, s]) => ({ secret: p + s, text: `SessionToken=${p}${s}` })),
  fc.tuple(fc.constantFrom('IQoJb3JpZ2lu', 'FwoGZXIvYXdz'), chars(B64, 40, 200)).map(([p, s]) => ({ secret: p + s, text: p + s })),
  fc.tuple(fc.constantFrom('postgresql', 'mysql', 'mongodb+srv', 'redis', 'amqps', 'https'), chars('abcdefgh', 1, 8), withDigit(chars(PASSWORD.replace('/', ''), 12, 24))).map(([s, u, p]) => ({ secret: p, text: `${s}://${u}:${p}@db.internal:5432/x` })),
  fc.tuple(fc.constantFrom('password=', 'Password: ', 'pwd=', 'PWD=', 'secret=', 'client_secret=', 'token=', 'access_token=', 'api_key=', '"password": "', "'passwd': '"), withDigit(chars(PASSWORD, 12, 24))).map(([k, s]) => ({ secret: s, text: `${k}${s}${k.endsWith('"') ? '"' : k.endsWith("'") ? "'" : ''}` })),
  fc.tuple(fc.constantFrom('Authorization: Bearer ', 'authorization: Basic ', 'Bearer ', 'X-Api-Key: '), withDigit(chars(B64 + '=._-~', 16, 60))).map(([k, s]) => ({ secret: s, text: k + s })),
  fc.tuple(chars(URLSAFE, 10, 40), chars(URLSAFE, 10, 80), chars(URLSAFE, 10, 60)).map(([h, p, s]) => ({ secret: `eyJ${h}.${p}.${s}`, text: `eyJ${h}.${p}.${s}` })),
  fc.tuple(fc.constantFrom('RSA ', 'EC ', 'OPENSSH ', ''), chars(B64, 20, 200)).map(([t, body]) => ({ secret: body, text: `-----BEGIN ${t}PRIVATE KEY-----\n${body}\n-----END ${t}PRIVATE KEY-----` })),
);
const words = fc.array(fc.constantFrom('GET', '/api/orders', 'from', '203.0.113.9', 'user', 'app', 'ERROR', 'level=info', 'msg="request done"', 'status=500', '{', '}', '[', ']', ':', 'ts=2026-11-21T10:00:00Z'), { maxLength: 8 }).map((w) => w.join(' '));

describe('redaction property', () => {
  it('no redacted output contains a generated secret', () => {
    fc.assert(fc.property(secrets, ({ secret, text }) => !redactSecrets(text).includes(secret)), { numRuns: 2000 });
  });

  it('no secret survives inside a line of other text either', () => {
    fc.assert(
      fc.property(words, secrets, words, fc.constantFrom(' ', '\t', ' | ', ', '), (before, { secret, text }, after, sep) => {
        const line = `${before}${sep}${text}${sep}${after}`;
        const out = redactSecrets(line);
        if (out.includes(secret)) throw new Error(`leaked ${JSON.stringify(secret)} from ${JSON.stringify(line)}: ${JSON.stringify(out)}`);
        return true;
      }),
      { numRuns: 3000 },
    );
  });
});
