import { FormatError } from '../core/index.ts';
import type { Entities } from '../core/index.ts';
import type { FormatSpec, LineOrigin, NormalizedRecord } from './types.ts';

/**
 * VPC Flow Logs records: space-separated fields, `-` when a field does not apply. The default format is
 * version 2 (14 fields); a custom format is any subset of the fields in any order, and its `version` is the
 * highest version among the fields chosen. `start`/`end` are Unix SECONDS (not ms). See the VPC user
 * guide, "Flow log records" and "Flow log record examples".
 */
export const VPC_FIELDS = [
  // name as AWS spells it, version it appeared in, and its kind (ints are written as decimal numbers)
  ['version', 2, 'int'],
  ['account-id', 2, 'str'],
  ['interface-id', 2, 'str'],
  ['srcaddr', 2, 'str'],
  ['dstaddr', 2, 'str'],
  ['srcport', 2, 'int'],
  ['dstport', 2, 'int'],
  ['protocol', 2, 'int'],
  ['packets', 2, 'int'],
  ['bytes', 2, 'int'],
  ['start', 2, 'int'],
  ['end', 2, 'int'],
  ['action', 2, 'str'],
  ['log-status', 2, 'str'],
  ['vpc-id', 3, 'str'],
  ['subnet-id', 3, 'str'],
  ['instance-id', 3, 'str'],
  ['tcp-flags', 3, 'int'],
  ['type', 3, 'str'],
  ['pkt-srcaddr', 3, 'str'],
  ['pkt-dstaddr', 3, 'str'],
  ['region', 4, 'str'],
  ['az-id', 4, 'str'],
  ['sublocation-type', 4, 'str'],
  ['sublocation-id', 4, 'str'],
  ['pkt-src-aws-service', 5, 'str'],
  ['pkt-dst-aws-service', 5, 'str'],
  ['flow-direction', 5, 'str'],
  ['traffic-path', 5, 'int'],
  // ECS fields (version 7) and reject-reason (version 8); check the user guide when relying on them.
  ['ecs-cluster-arn', 7, 'str'],
  ['ecs-cluster-name', 7, 'str'],
  ['ecs-container-instance-arn', 7, 'str'],
  ['ecs-container-instance-id', 7, 'str'],
  ['ecs-container-id', 7, 'str'],
  ['ecs-second-container-id', 7, 'str'],
  ['ecs-service-name', 7, 'str'],
  ['ecs-task-definition-arn', 7, 'str'],
  ['ecs-task-arn', 7, 'str'],
  ['ecs-task-id', 7, 'str'],
  ['reject-reason', 8, 'str'],
] as const;

export type VpcFieldName = (typeof VPC_FIELDS)[number][0];

/** kebab-case wire name → camelCase record key (`log-status` → `logStatus`). */
type Camel<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;
type IntFields = Extract<(typeof VPC_FIELDS)[number], readonly [string, number, 'int']>[0];

/** A flow log record: every field optional (custom formats pick a subset); null = `-` on the wire. */
export type VpcFlowRecord = {
  [K in VpcFieldName as Camel<K>]?: K extends IntFields ? number | null : string | null;
};

export const DEFAULT_VPC_FIELDS: readonly VpcFieldName[] = [
  'version', 'account-id', 'interface-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol',
  'packets', 'bytes', 'start', 'end', 'action', 'log-status',
];

const FIELD_INFO = new Map<string, { version: number; int: boolean; key: string }>(
  VPC_FIELDS.map(([name, version, kind]) => [name, { version, int: kind === 'int', key: name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase()) }]),
);

/** camelCase key of a wire field name. */
export function vpcFieldKey(name: VpcFieldName): string {
  return FIELD_INFO.get(name)!.key;
}

export interface VpcFlowFormat {
  fields: readonly VpcFieldName[];
  /** Highest version among the fields: what the `version` field holds. */
  version: number;
  /** The format string as CreateFlowLogs takes it: `${version} ${account-id} …`. */
  formatString: string;
  serialize(r: VpcFlowRecord): string;
  parse(line: string): VpcFlowRecord;
}

/**
 * Compiles a flow log format from a field list, or from the `${a} ${b}` string CreateFlowLogs takes, or
 * from the header line of an S3 flow log file (`version account-id …`).
 */
export function vpcFlowFormat(spec: readonly string[] | string = DEFAULT_VPC_FIELDS): VpcFlowFormat {
  // `${a} ${b}` as CreateFlowLogs takes it, the header of an S3 flow log file, or a list (of names or `${name}`s).
  const names = (typeof spec === 'string' ? spec.trim().split(/\s+/) : spec.flatMap((t) => t.trim().split(/\s+/))).map((t) => t.replace(/^\$\{(.*)\}$/, '$1'));
  if (names.length === 0) throw new FormatError('VPC flow log format: no fields', { expected: 'at least one field name', seen: JSON.stringify(spec) });
  let version = 2;
  const infos = names.map((n) => {
    const info = FIELD_INFO.get(n);
    if (!info) {
      throw new FormatError('VPC flow log format: unknown field', {
        expected: `one of ${VPC_FIELDS.map((f) => f[0]).join(', ')}`,
        seen: JSON.stringify(n),
      });
    }
    if (info.version > version) version = info.version;
    return { name: n, ...info };
  });
  const fields = names as VpcFieldName[];
  const isDefault = fields.length === DEFAULT_VPC_FIELDS.length && fields.every((f, i) => f === DEFAULT_VPC_FIELDS[i]);
  const keys = infos.map((i) => i.key);

  const serialize = isDefault
    ? // The default format is what almost everyone uses and what the bench measures: one template.
      (r: VpcFlowRecord) =>
        `${r.version ?? '-'} ${r.accountId ?? '-'} ${r.interfaceId ?? '-'} ${r.srcaddr ?? '-'} ${r.dstaddr ?? '-'} ${r.srcport ?? '-'} ${r.dstport ?? '-'} ${r.protocol ?? '-'} ${r.packets ?? '-'} ${r.bytes ?? '-'} ${r.start ?? '-'} ${r.end ?? '-'} ${r.action ?? '-'} ${r.logStatus ?? '-'}`
    : (r: VpcFlowRecord) => {
        const rec = r as Record<string, string | number | null | undefined>;
        let s = '';
        for (let i = 0; i < keys.length; i++) {
          const v = rec[keys[i]!];
          s += i === 0 ? `${v ?? '-'}` : ` ${v ?? '-'}`;
        }
        return s;
      };

  const parse = (line: string): VpcFlowRecord => {
    let tokens = line.split(' ');
    // Hand-copied lines carry doubled spaces, tabs or a trailing newline: split on runs of whitespace then
    // (only then: the single-space split is the hot path, and these checks are native scans).
    if (tokens.length !== infos.length || tokens.includes('') || line.includes('\t') || line.includes('\n')) tokens = line.trim().split(/\s+/);
    if (tokens.length !== infos.length || tokens.some((t) => t === '')) {
      throw new FormatError('VPC flow log: wrong number of fields', {
        expected: `${infos.length} space-separated fields (${names.join(' ')})`,
        seen: `${line.trim() === '' ? 0 : line.trim().split(/\s+/).length} in ${JSON.stringify(line.length > 120 ? `${line.slice(0, 117)}...` : line)}`,
        fix: 'parse with the flow log\'s own format (vpcFlowFormat(fieldList))',
      });
    }
    const out: Record<string, string | number | null> = {};
    for (let i = 0; i < infos.length; i++) {
      const info = infos[i]!;
      const t = tokens[i]!;
      if (t === '-') {
        out[info.key] = null;
      } else if (info.int) {
        if (!/^\d+$/.test(t)) throw new FormatError(`VPC flow log: field ${info.name} is not a number`, { expected: 'a non-negative integer or -', seen: JSON.stringify(t) });
        out[info.key] = Number(t);
      } else {
        out[info.key] = t;
      }
    }
    checkValues(out as VpcFlowRecord);
    return out as VpcFlowRecord;
  };

  return { fields, version, formatString: names.map((n) => `\${${n}}`).join(' '), serialize, parse };
}

function checkValues(r: VpcFlowRecord): void {
  if (r.action != null && r.action !== 'ACCEPT' && r.action !== 'REJECT') {
    throw new FormatError('VPC flow log: bad action', { expected: 'ACCEPT | REJECT | -', seen: JSON.stringify(r.action) });
  }
  if (r.logStatus != null && r.logStatus !== 'OK' && r.logStatus !== 'NODATA' && r.logStatus !== 'SKIPDATA') {
    throw new FormatError('VPC flow log: bad log-status', { expected: 'OK | NODATA | SKIPDATA', seen: JSON.stringify(r.logStatus) });
  }
  // Seconds, not milliseconds: a 13-digit start is the classic unit bug this check exists for.
  for (const k of ['start', 'end'] as const) {
    const v = r[k];
    if (v != null && (v < 1e9 || v >= 1e10)) throw new FormatError(`VPC flow log: ${k} is not Unix seconds`, { expected: 'a 10-digit Unix time in seconds', seen: String(v) });
  }
  if (r.start != null && r.end != null && r.end < r.start) {
    throw new FormatError('VPC flow log: end before start', { expected: 'end >= start', seen: `start ${r.start}, end ${r.end}` });
  }
}

export const DEFAULT_VPC_FORMAT: VpcFlowFormat = vpcFlowFormat(DEFAULT_VPC_FIELDS);

const compiled = new Map<string, VpcFlowFormat>([[DEFAULT_VPC_FIELDS.join(' '), DEFAULT_VPC_FORMAT]]);

/** vpcFlowFormat, compiled once per field list (a source map hands the same list for every line). */
export function cachedVpcFlowFormat(spec: readonly string[] | string): VpcFlowFormat {
  const key = typeof spec === 'string' ? spec.trim() : spec.join(' ');
  let f = compiled.get(key);
  if (!f) {
    f = vpcFlowFormat(spec);
    if (compiled.size > 64) compiled.clear();
    compiled.set(key, f);
  }
  return f;
}

const upTo = (v: number): VpcFieldName[] => VPC_FIELDS.filter((f) => f[1] <= v).map((f) => f[0]);

/**
 * Layouts tried, in order, for a line whose log group declares no format and that is not the default one:
 * "every field up to version N" in the user guide's table order (what choosing all fields gives), then the
 * custom formats of the user guide's own examples. A layout is taken only if the line validates under it
 * and, when it has a version field, that field holds the layout's own version: a line of another layout
 * with the same field count fails one or the other.
 */
export const KNOWN_VPC_LAYOUTS: readonly (readonly VpcFieldName[])[] = [
  upTo(3), upTo(4), upTo(5), upTo(7), upTo(8),
  // "Flow log record examples": TCP flag sequence (v3), transit gateway (v3), service name / traffic path (v5).
  ['version', 'vpc-id', 'subnet-id', 'instance-id', 'interface-id', 'account-id', 'type', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'pkt-srcaddr', 'pkt-dstaddr', 'protocol', 'bytes', 'packets', 'start', 'end', 'action', 'tcp-flags', 'log-status'],
  ['version', 'interface-id', 'account-id', 'vpc-id', 'subnet-id', 'instance-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'tcp-flags', 'type', 'pkt-srcaddr', 'pkt-dstaddr', 'action', 'log-status'],
  ['version', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'start', 'end', 'type', 'packets', 'bytes', 'account-id', 'vpc-id', 'subnet-id', 'instance-id', 'interface-id', 'region', 'az-id', 'sublocation-type', 'sublocation-id', 'action', 'tcp-flags', 'pkt-srcaddr', 'pkt-dstaddr', 'pkt-src-aws-service', 'pkt-dst-aws-service', 'traffic-path', 'flow-direction', 'log-status'],
];

function tokenCount(line: string): number {
  const t = line.trim();
  return t === '' ? 0 : t.split(/\s+/).length;
}

/**
 * One flow log record: with the log group's declared field list when the origin carries one (a source map's
 * hint), else the default format, else a known layout (KNOWN_VPC_LAYOUTS) that fits.
 */
export function parseVpcFlowLine(line: string, origin?: LineOrigin): VpcFlowRecord {
  const fields = origin?.hint?.fields;
  if (fields && fields.length > 0) return cachedVpcFlowFormat(fields).parse(line);
  // Counting single spaces costs a fraction of a split: the default format (almost every line) goes straight on.
  let spaces = 0;
  for (let i = line.indexOf(' '); i >= 0; i = line.indexOf(' ', i + 1)) spaces++;
  if (spaces === DEFAULT_VPC_FIELDS.length - 1) return DEFAULT_VPC_FORMAT.parse(line);
  const n = tokenCount(line);
  if (n === DEFAULT_VPC_FIELDS.length) return DEFAULT_VPC_FORMAT.parse(line);
  for (const layout of KNOWN_VPC_LAYOUTS) {
    if (layout.length !== n) continue;
    const f = cachedVpcFlowFormat(layout);
    let r: VpcFlowRecord;
    try {
      r = f.parse(line);
    } catch {
      continue;
    }
    if (r.version === undefined || r.version === f.version) return r;
  }
  throw new FormatError('VPC flow log line is not in the default format and its log group declares none', {
    expected: `${DEFAULT_VPC_FIELDS.length} fields (${DEFAULT_VPC_FIELDS.join(' ')}), or the log group's declared custom format`,
    seen: `${n} fields in ${JSON.stringify(line.length > 120 ? `${line.slice(0, 117)}...` : line)}`,
    fix: "declare the flow log's format (the ${field} list given to CreateFlowLogs) for its log group in the source map",
  });
}

/** The 14-field default line, the hot path of the generator. */
export function serializeVpcFlow(r: VpcFlowRecord): string {
  return DEFAULT_VPC_FORMAT.serialize(r);
}

/** Parses a default-format line; custom formats use vpcFlowFormat(fields).parse or parseVpcFlowLine with a hint. */
export function parseVpcFlow(line: string): VpcFlowRecord {
  return DEFAULT_VPC_FORMAT.parse(line);
}

/** Flat fields per docs/CONTRACTS.md (vpcflow): every field present in the record, camelCase. */
export function normalizeVpcFlow(r: VpcFlowRecord, origin?: LineOrigin): Pick<NormalizedRecord, 'time' | 'entities' | 'fields'> {
  const fields: Record<string, string | number | boolean | null> = {};
  for (const [k, v] of Object.entries(r)) fields[k] = v ?? null;
  const entities: Entities = {};
  if (r.interfaceId) entities.eni = r.interfaceId;
  if (r.srcaddr) entities.ip = r.srcaddr;
  if (r.instanceId) entities.instance = r.instanceId;
  // A custom format without `start` has no time of its own: the CloudWatch event's (0 when unknown).
  return { time: r.start != null ? r.start * 1000 : (origin?.timestamp ?? 0), entities, fields };
}

/** The network interface of a flow log stream (`eni-0123…-all` in CloudWatch Logs). */
function eniOfStream(origin?: LineOrigin): Entities {
  const m = origin?.logStream ? /^(eni-[0-9a-f]+)/.exec(origin.logStream) : null;
  return m ? { eni: m[1]! } : {};
}

export const vpcFlowFormatSpec: FormatSpec<VpcFlowRecord> = {
  source: 'vpcflow',
  title: 'VPC Flow Logs record',
  shapes: ['default', 'custom'],
  serialize: serializeVpcFlow,
  parse: (line, origin) => parseVpcFlowLine(line, origin),
  normalize: normalizeVpcFlow,
  entitiesOf: eniOfStream,
};
