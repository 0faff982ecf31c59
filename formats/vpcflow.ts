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
  const names = typeof spec === 'string' ? spec.trim().split(/\s+/).map((t) => t.replace(/^\$\{(.*)\}$/, '$1')) : [...spec];
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
    const tokens = line.split(' ');
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

/** The 14-field default line, the hot path of the generator. */
export function serializeVpcFlow(r: VpcFlowRecord): string {
  return DEFAULT_VPC_FORMAT.serialize(r);
}

/** Parses a default-format line; custom formats use vpcFlowFormat(fields).parse. */
export function parseVpcFlow(line: string): VpcFlowRecord {
  return DEFAULT_VPC_FORMAT.parse(line);
}

/** Flat fields per docs/CONTRACTS.md (vpcflow): every field present in the record, camelCase. */
export function normalizeVpcFlow(r: VpcFlowRecord, _origin?: LineOrigin): Pick<NormalizedRecord, 'time' | 'entities' | 'fields'> {
  const fields: Record<string, string | number | boolean | null> = {};
  for (const [k, v] of Object.entries(r)) fields[k] = v ?? null;
  const entities: Entities = {};
  if (r.interfaceId) entities.eni = r.interfaceId;
  if (r.srcaddr) entities.ip = r.srcaddr;
  if (r.instanceId) entities.instance = r.instanceId;
  return { time: (r.start ?? 0) * 1000, entities, fields };
}

export const vpcFlowFormatSpec: FormatSpec<VpcFlowRecord> = {
  source: 'vpcflow',
  title: 'VPC Flow Logs record',
  serialize: serializeVpcFlow,
  parse: (line) => parseVpcFlow(line),
  normalize: normalizeVpcFlow,
};
