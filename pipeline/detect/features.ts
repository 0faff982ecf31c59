import type { NormalizedRecord } from '../../formats/index.ts';
import type { Entities, SourceName } from '../../core/index.ts';
import { inClass } from './message-classes.ts';

/**
 * Window features per source and per entity. Source-level features feed the robust baselines (one series per
 * source × feature); entity-level vectors feed the Isolation Forest. The seeds/003 categorical indicators
 * (BLOCK, unknown httpSourceName, 4xx/5xx, unknown country, uncommon method) are aggregated here as
 * shares per window rather than per line, which is what makes them comparable across windows.
 */

export const str = (r: NormalizedRecord, k: string): string => {
  const v = r.fields[k];
  return v === null || v === undefined ? '' : String(v);
};
export const num = (r: NormalizedRecord, k: string): number => {
  const v = r.fields[k];
  const n = typeof v === 'number' ? v : typeof v === 'string' && v !== '' && v !== '-' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : 0;
};

const PRIVATE = [/^10\./, /^192\.168\./, /^172\.(1[6-9]|2\d|3[01])\./, /^127\./, /^169\.254\./, /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./];
/** RFC 1918 / loopback / link-local / CGNAT: addresses that are not "the internet". */
export function isInternalIp(ip: string): boolean {
  return PRIVATE.some((re) => re.test(ip));
}

/**
 * A flow from a service port to a client port (srcport < 1024 ≤ dstport): the answer of a server, e.g. an
 * outside API's 443 to one of our ephemeral ports. Its destination port was chosen by our client, not probed.
 */
export function isResponseFlow(r: NormalizedRecord): boolean {
  const sp = num(r, 'srcport'), dp = num(r, 'dstport');
  return sp > 0 && sp < 1024 && dp >= 1024;
}

export const KNOWN_HTTP_SOURCES = new Set(['ALB', 'APIGW', 'CF', 'APPSYNC']);
export const COMMON_METHODS = new Set(['GET', 'HEAD', 'POST']);

const DB_ERROR = /psycopg2|sqlalchemy|OperationalError|InterfaceError|could not connect to server|connection refused|QueuePool limit|too many clients|remaining connection slots|connection to server .* failed|server closed the connection unexpectedly|timeout expired/i;
/** The words of a text line worth classifying: its text field, not a structured event's JSON. */
export function lineText(r: NormalizedRecord): string {
  const t = str(r, 'text') || str(r, 'detail') || str(r, 'reason');
  if (t) return t;
  return r.message.startsWith('{') ? '' : r.message;
}

export function isAppDbError(r: NormalizedRecord): boolean {
  const level = str(r, 'level').toUpperCase();
  const exc = str(r, 'exception');
  const text = `${exc} ${str(r, 'text') || r.message}`;
  const bad = level === 'ERROR' || level === 'CRITICAL' || level === 'FATAL' || exc !== '' || /error/i.test(text);
  if (!bad) return false;
  if (DB_ERROR.test(text)) return true;
  const line = lineText(r);
  return inClass(line, 'connection-failure') || inClass(line, 'connection-exhaustion');
}

const CONN_EXHAUSTION = /too many clients|remaining connection slots are reserved|too many connections|maximum connections? (exceeded|reached)/i;
export function isRdsConnectionExhaustion(r: NormalizedRecord): boolean {
  return CONN_EXHAUSTION.test(str(r, 'text') || r.message) || inClass(lineText(r), 'connection-exhaustion');
}

const ECS_UNHEALTHY = /failed container health checks|is unhealthy in \(target-group|failed ELB health checks|has stopped \d+ running tasks|Essential container in task exited|OutOfMemoryError/i;
export function isEcsRestartSignal(r: NormalizedRecord): boolean {
  return ECS_UNHEALTHY.test(`${str(r, 'reason')} ${r.message}`) || inClass(lineText(r), 'health-check-failure');
}

/** Lambda invocation outcome, collapsing the two timeout shapes (`Task timed out` and `REPORT … Status: timeout`). */
export function lambdaTimedOut(r: NormalizedRecord): boolean {
  return str(r, 'lineType') === 'timeout' || r.fields.timedOut === true || str(r, 'status') === 'timeout' || /Task timed out after/.test(r.message);
}
export function lambdaError(r: NormalizedRecord): boolean {
  if (lambdaTimedOut(r)) return false;
  const lt = str(r, 'lineType');
  const level = str(r, 'level').toUpperCase();
  return lt === 'error' || level === 'ERROR' || level === 'FATAL' || str(r, 'status') === 'error';
}

const S3_DELETE = /^(REST\.DELETE\.(OBJECT|MULTI_OBJECT)|BATCH\.DELETE\.OBJECT|REST\.POST\.MULTI_OBJECT_DELETE)$/;
export const isS3Delete = (r: NormalizedRecord): boolean => S3_DELETE.test(str(r, 'operation'));
export const isS3Get = (r: NormalizedRecord): boolean => str(r, 'operation') === 'REST.GET.OBJECT';

const ACCESS_DENIED = /AccessDenied|UnauthorizedOperation|UnauthorizedAccess|Forbidden/i;
export const isAccessDenied = (r: NormalizedRecord): boolean => ACCESS_DENIED.test(str(r, 'errorCode'));

export function distinct(records: NormalizedRecord[], key: (r: NormalizedRecord) => string): number {
  const s = new Set<string>();
  for (const r of records) {
    const k = key(r);
    if (k) s.add(k);
  }
  return s.size;
}

function share(records: NormalizedRecord[], pred: (r: NormalizedRecord) => boolean): number {
  if (records.length === 0) return 0;
  let n = 0;
  for (const r of records) if (pred(r)) n++;
  return n / records.length;
}
function count(records: NormalizedRecord[], pred: (r: NormalizedRecord) => boolean): number {
  let n = 0;
  for (const r of records) if (pred(r)) n++;
  return n;
}

/** Source-level features of one window (all numbers; names are stable series keys for baselines). */
export function sourceFeatures(source: SourceName, rs: NormalizedRecord[]): Record<string, number> {
  const f: Record<string, number> = { count: rs.length };
  switch (source) {
    case 'waf':
      f.distinctIps = distinct(rs, (r) => str(r, 'clientIp'));
      f.blockShare = share(rs, (r) => str(r, 'action') === 'BLOCK');
      f.unknownSourceShare = share(rs, (r) => !KNOWN_HTTP_SOURCES.has(str(r, 'httpSourceName')));
      f.uncommonMethodShare = share(rs, (r) => !COMMON_METHODS.has(str(r, 'httpMethod')));
      f.injection = count(rs, (r) => str(r, 'conditionType') !== '');
      f.rateBased = count(rs, (r) => r.fields.rateBased === true);
      f.posts = count(rs, (r) => str(r, 'httpMethod') === 'POST');
      break;
    case 'vpcflow':
      f.bytes = rs.reduce((a, r) => a + num(r, 'bytes'), 0);
      f.rejectShare = share(rs, (r) => str(r, 'action') === 'REJECT');
      f.distinctSrc = distinct(rs, (r) => str(r, 'srcaddr'));
      f.distinctDstPorts = distinct(rs, (r) => str(r, 'dstport'));
      break;
    case 'ec2':
      f.sshFailures = count(rs, (r) => /^(ssh-failed|ssh-invalid-user|pam-failure)$/.test(str(r, 'kind')));
      f.oom = count(rs, (r) => str(r, 'kind') === 'oom-kill');
      f.diskFull = count(rs, (r) => str(r, 'kind') === 'disk-full');
      break;
    case 'cloudtrail':
      f.errors = count(rs, (r) => str(r, 'errorCode') !== '');
      f.accessDenied = count(rs, isAccessDenied);
      f.distinctIps = distinct(rs, (r) => str(r, 'sourceIPAddress'));
      f.consoleFailures = count(rs, (r) => str(r, 'eventName') === 'ConsoleLogin' && (str(r, 'errorMessage') !== '' || str(r, 'errorCode') !== ''));
      break;
    case 'lambda':
      f.invocations = count(rs, (r) => str(r, 'lineType') === 'report');
      f.errors = count(rs, lambdaError);
      f.timeouts = count(rs, lambdaTimedOut);
      break;
    case 's3access':
      f.gets = count(rs, isS3Get);
      f.deletes = count(rs, isS3Delete);
      f.forbidden = count(rs, (r) => num(r, 'httpStatus') === 403);
      f.bytesSent = rs.reduce((a, r) => a + num(r, 'bytesSent'), 0);
      break;
    case 'rds':
      f.fatal = count(rs, (r) => str(r, 'severity') === 'FATAL');
      f.errors = count(rs, (r) => str(r, 'severity') === 'ERROR');
      break;
    case 'app':
      f.errors = count(rs, (r) => /^(ERROR|CRITICAL|FATAL)$/i.test(str(r, 'level')));
      f.dbErrors = count(rs, isAppDbError);
      f.http5xx = count(rs, (r) => num(r, 'httpStatus') >= 500);
      f.http4xx = count(rs, (r) => num(r, 'httpStatus') >= 400 && num(r, 'httpStatus') < 500);
      break;
    case 'ecs':
      f.restartSignals = count(rs, isEcsRestartSignal);
      break;
    case 'eks':
      f.audit = count(rs, (r) => str(r, 'logType') === 'audit');
      f.refused = count(rs, (r) => num(r, 'responseCode') === 401 || num(r, 'responseCode') === 403);
      f.anonymous = count(rs, (r) => r.fields.anonymous === true);
      f.crashReports = count(rs, (r) => /^(CrashLoopBackOff|OOMKilled|Error)/.test(str(r, 'containerState')));
      f.notReady = count(rs, (r) => r.fields.nodeReady === false);
      f.containerErrors = count(rs, (r) => str(r, 'logType') === 'container' && /^(ERROR|FATAL)$/.test(str(r, 'severity')));
      break;
  }
  return f;
}

/** One entity's feature vector in a window, for the Isolation Forest. */
export interface EntityVector {
  key: string;
  entities: Entities;
  primary: keyof Entities;
  vector: number[];
  sample: string;
}

function groupBy(rs: NormalizedRecord[], key: (r: NormalizedRecord) => string): Map<string, NormalizedRecord[]> {
  const m = new Map<string, NormalizedRecord[]>();
  for (const r of rs) {
    const k = key(r);
    if (!k || k === '-') continue;
    let a = m.get(k);
    if (!a) m.set(k, (a = []));
    a.push(r);
  }
  return m;
}
export { groupBy };

/** Feature names of the entity vectors, per source (for evidence). */
export const ENTITY_FEATURES: Partial<Record<SourceName, string[]>> = {
  waf: ['log1pRequests', 'distinctUris', 'blockShare', 'postShare', 'uncommonMethodShare', 'unknownSourceShare', 'injectionShare'],
  vpcflow: ['log1pFlows', 'distinctDstPorts', 'distinctDsts', 'log1pBytes', 'rejectShare'],
  cloudtrail: ['log1pEvents', 'distinctEventNames', 'errorShare', 'distinctIps', 'writeShare'],
  s3access: ['log1pRequests', 'deleteShare', 'forbiddenShare', 'log1pBytes'],
};

export function entityVectors(source: SourceName, rs: NormalizedRecord[]): EntityVector[] {
  const out: EntityVector[] = [];
  switch (source) {
    case 'waf':
      for (const [ip, g] of groupBy(rs, (r) => str(r, 'clientIp'))) {
        out.push({
          key: ip, entities: { ip, ...(g[0]!.entities.webAcl ? { webAcl: g[0]!.entities.webAcl } : {}) }, primary: 'ip', sample: g[0]!.message,
          vector: [Math.log1p(g.length), distinct(g, (r) => str(r, 'uri')), share(g, (r) => str(r, 'action') === 'BLOCK'), share(g, (r) => str(r, 'httpMethod') === 'POST'),
            share(g, (r) => !COMMON_METHODS.has(str(r, 'httpMethod'))), share(g, (r) => !KNOWN_HTTP_SOURCES.has(str(r, 'httpSourceName'))), share(g, (r) => str(r, 'conditionType') !== '')],
        });
      }
      break;
    case 'vpcflow':
      for (const [ip, g] of groupBy(rs, (r) => str(r, 'srcaddr'))) {
        out.push({
          key: ip, entities: { ip }, primary: 'ip', sample: g[0]!.message,
          vector: [Math.log1p(g.length), distinct(g, (r) => str(r, 'dstport')), distinct(g, (r) => str(r, 'dstaddr')), Math.log1p(g.reduce((a, r) => a + num(r, 'bytes'), 0)), share(g, (r) => str(r, 'action') === 'REJECT')],
        });
      }
      break;
    case 'cloudtrail':
      for (const [p, g] of groupBy(rs, (r) => r.entities.principal ?? '')) {
        out.push({
          key: p, entities: { principal: p }, primary: 'principal', sample: g[0]!.message,
          vector: [Math.log1p(g.length), distinct(g, (r) => str(r, 'eventName')), share(g, (r) => str(r, 'errorCode') !== ''), distinct(g, (r) => str(r, 'sourceIPAddress')), share(g, (r) => r.fields.readOnly === false || str(r, 'readOnly') === 'false')],
        });
      }
      break;
    case 's3access':
      for (const [ip, g] of groupBy(rs, (r) => str(r, 'remoteIp'))) {
        out.push({
          key: ip, entities: { ip, ...(g[0]!.entities.bucket ? { bucket: g[0]!.entities.bucket } : {}) }, primary: 'ip', sample: g[0]!.message,
          vector: [Math.log1p(g.length), share(g, isS3Delete), share(g, (r) => num(r, 'httpStatus') === 403), Math.log1p(g.reduce((a, r) => a + num(r, 'bytesSent'), 0))],
        });
      }
      break;
    default:
      break;
  }
  return out;
}
