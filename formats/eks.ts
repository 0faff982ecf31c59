import { FormatError, type Entities } from '../core/index.ts';
import type { JsonObject, JsonValue, FormatSpec, LineOrigin } from './types.ts';
import { KLOG_SEVERITIES, isKlogLine, klogTime, parseKlog, parseKlogStructured, serializeKlog, type KlogLine } from './eks-klog.ts';
import { isLogrusLine, parseLogrus, serializeLogrus, type LogrusLine } from './eks-logrus.ts';
import { EKS_APPLICATION_GROUP, EKS_CLUSTER_GROUP, clusterOfGroup, nodeOfUser, workloadOfLabels, workloadOfPod } from './eks-kube-names.ts';

/**
 * Amazon EKS, one FormatSpec for what a cluster writes to CloudWatch Logs:
 *
 * 1. Control-plane logs, log group `/aws/eks/<cluster>/cluster`, one stream per component (EKS user guide, "Send
 *    control plane logs to CloudWatch Logs"); parse dispatches on the stream name:
 *    - `kube-apiserver-audit-<32 hex>`: Kubernetes audit events, one `audit.k8s.io/v1` Event per line, written by
 *      Go's encoding/json (so `&`, `<`, `>` appear as \u0026, \u003c, \u003e);
 *    - `kube-apiserver-<32 hex>`, `kube-controller-manager-<32 hex>`, `kube-scheduler-<32 hex>`,
 *      `cloud-controller-manager-<32 hex>`: klog lines (eks-klog.ts);
 *    - `authenticator-<32 hex>`: the AWS IAM Authenticator's logrus lines (eks-logrus.ts).
 * 2. Container logs as Container Insights' Fluent Bit ships them, log group `/aws/containerinsights/<cluster>/application`,
 *    stream `<node>-application.var.log.containers.<pod>_<namespace>_<container>-<64 hex>.log`: one JSON record per
 *    line with the container runtime's fields and the Kubernetes filter's `kubernetes` object. containerd (CRI,
 *    every EKS AMI since 1.24) gives `{"time","stream","_p","log",…}`; Docker's json-file gave
 *    `{"log":"…\n","stream","time",…}`. Both parse; generators write the CRI shape.
 *
 * Container logs belong to this source rather than to one of their own: they are the same cluster's record,
 * their entities (pods, nodes, workloads) are the control plane's, and incidents span both (a crash loop is the
 * application's last lines and the kubelet's status patches in the audit log).
 */
export const EKS_LOG_TYPES = ['audit', 'api', 'authenticator', 'controllerManager', 'scheduler', 'cloudControllerManager', 'klog', 'container'] as const;
/** `klog` is a klog line whose component is unknown (no stream name to tell). */
export type EksLogType = (typeof EKS_LOG_TYPES)[number];
export type KlogComponent = 'api' | 'controllerManager' | 'scheduler' | 'cloudControllerManager';

export type EksRecord =
  | { kind: 'audit'; event: JsonObject }
  | { kind: 'klog'; component: KlogComponent | null; line: KlogLine }
  | { kind: 'authenticator'; line: LogrusLine }
  | { kind: 'container'; record: JsonObject };

/** Control-plane stream name prefixes, longest first (`kube-apiserver-audit-` before `kube-apiserver-`). */
const STREAMS: readonly [string, 'audit' | 'authenticator' | KlogComponent][] = [
  ['kube-apiserver-audit-', 'audit'],
  ['kube-apiserver-', 'api'],
  ['authenticator-', 'authenticator'],
  ['kube-controller-manager-', 'controllerManager'],
  ['kube-scheduler-', 'scheduler'],
  ['cloud-controller-manager-', 'cloudControllerManager'],
];

/** The control-plane stream of a log type: `<prefix><32 hex>` (the hash rotates as the stream grows). */
export function eksStreamName(type: 'audit' | 'authenticator' | KlogComponent, hex32: string): string {
  return `${STREAMS.find(([, t]) => t === type)![0]}${hex32}`;
}

/** Fluent Bit's stream for a container's log file (log_stream_prefix `${HOST_NAME}-`, tag from the file path). */
export function containerStreamName(node: string, pod: string, namespace: string, container: string, containerId: string): string {
  return `${node}-application.var.log.containers.${pod}_${namespace}_${container}-${containerId}.log`;
}

/** Go's encoding/json escapes `<`, `>`, `&`, U+2028 and U+2029; they can only occur inside strings, so a global replace is exact. */
export function goJson(v: unknown): string {
  return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function serializeEks(r: EksRecord): string {
  switch (r.kind) {
    case 'audit':
      return goJson(r.event);
    case 'klog':
      return serializeKlog(r.line);
    case 'authenticator':
      return serializeLogrus(r.line);
    case 'container':
      return JSON.stringify(r.record);
  }
}

function parseJsonObject(line: string, what: string): JsonObject {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (cause) {
    throw new FormatError(`${what} is not valid JSON`, { expected: 'one JSON object per event', seen: JSON.stringify(line.slice(0, 160)), cause });
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new FormatError(`${what} is not a JSON object`, { expected: 'a JSON object', seen: JSON.stringify(line.slice(0, 160)) });
  return v as JsonObject;
}

const isObj = (v: JsonValue | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

function asAudit(obj: JsonObject, line: string): EksRecord {
  const ok = obj.kind === 'Event' && typeof obj.apiVersion === 'string' && obj.apiVersion.startsWith('audit.k8s.io/') && typeof obj.verb === 'string'
    && (typeof obj.stageTimestamp === 'string' || typeof obj.requestReceivedTimestamp === 'string');
  if (!ok) {
    throw new FormatError('audit line is not a Kubernetes audit Event', {
      expected: '{"kind":"Event","apiVersion":"audit.k8s.io/v1",…,"verb":…,"stageTimestamp":…}',
      seen: JSON.stringify(line.slice(0, 160)),
    });
  }
  return { kind: 'audit', event: obj };
}

function asContainer(obj: JsonObject, line: string): EksRecord {
  if (typeof obj.log !== 'string' || (obj.kubernetes !== undefined && !isObj(obj.kubernetes))) {
    throw new FormatError('container log record lacks a `log` string (or has a malformed `kubernetes` object)', {
      expected: '{"time":…,"stream":"stdout|stderr","log":…,"kubernetes":{"pod_name":…,"namespace_name":…}}',
      seen: JSON.stringify(line.slice(0, 160)),
    });
  }
  return { kind: 'container', record: obj };
}

function parseControlPlane(line: string, type: 'audit' | 'authenticator' | KlogComponent | null): EksRecord {
  if (type === 'audit') return asAudit(parseJsonObject(line, 'audit line'), line);
  if (type === 'authenticator') return { kind: 'authenticator', line: parseLogrus(line) };
  return { kind: 'klog', component: type, line: parseKlog(line) };
}

export function parseEks(line: string, origin?: LineOrigin): EksRecord {
  const group = origin?.logGroup;
  if (group && EKS_APPLICATION_GROUP.test(group)) return asContainer(parseJsonObject(line, 'container log record'), line);
  if (group && EKS_CLUSTER_GROUP.test(group)) {
    const stream = origin?.logStream ?? '';
    const type = STREAMS.find(([p]) => stream.startsWith(p))?.[1];
    if (!type) {
      throw new FormatError('log stream is not an EKS control-plane stream', {
        expected: STREAMS.map(([p]) => `${p}<hash>`).join(', '),
        seen: JSON.stringify(stream),
      });
    }
    return parseControlPlane(line, type);
  }
  if (group) {
    throw new FormatError('log group is not an EKS log group', { expected: '/aws/eks/<cluster>/cluster or /aws/containerinsights/<cluster>/application', seen: group });
  }
  // No origin (a file of lines): tell the shapes apart by their first characters.
  if (line.startsWith('{')) {
    const obj = parseJsonObject(line, 'EKS line');
    return obj.kind === 'Event' ? asAudit(obj, line) : asContainer(obj, line);
  }
  if (isLogrusLine(line)) return { kind: 'authenticator', line: parseLogrus(line) };
  if (isKlogLine(line)) return { kind: 'klog', component: null, line: parseKlog(line) };
  throw new FormatError('line matches none of the EKS log shapes', {
    expected: 'an audit Event or a Fluent Bit record (JSON), a klog line (I0102 15:04:05.000000 …), or an authenticator line (time="…" level=…)',
    seen: JSON.stringify(line.slice(0, 160)),
  });
}

// ─── normalize ─────────────────────────────────────────────────────────────────────────────────────────

export type EksFields = Record<
  | 'logType' | 'cluster' | 'severity' | 'text'
  | 'auditId' | 'stage' | 'auditLevel' | 'verb' | 'requestUri' | 'user' | 'userGroups' | 'userAgent' | 'sourceIp' | 'resource'
  | 'subresource' | 'namespace' | 'name' | 'apiGroup' | 'decision' | 'authzReason' | 'accessKeyId' | 'userArn' | 'containerState'
  | 'nodeCondition' | 'msg' | 'file' | 'client' | 'error' | 'status' | 'eventReason' | 'stream' | 'pod' | 'podId' | 'container' | 'node' | 'containerId'
  | 'image' | 'workload',
  string | null
> & Record<'responseCode' | 'restartCount' | 'exitCode' | 'thread', number | null> & Record<'anonymous', boolean> & Record<'nodeReady', boolean | null>;

function emptyFields(logType: EksLogType, cluster: string | null): EksFields {
  return {
    logType, cluster, severity: null, text: null,
    auditId: null, stage: null, auditLevel: null, verb: null, requestUri: null, user: null, userGroups: null, userAgent: null, sourceIp: null,
    resource: null, subresource: null, namespace: null, name: null, apiGroup: null, responseCode: null, decision: null, authzReason: null,
    accessKeyId: null, userArn: null, anonymous: false, containerState: null, restartCount: null, exitCode: null, nodeReady: null, nodeCondition: null,
    msg: null, file: null, thread: null, client: null, error: null, status: null, eventReason: null,
    stream: null, pod: null, podId: null, container: null, node: null, containerId: null, image: null, workload: null,
  };
}

const str = (v: JsonValue | undefined): string | null => (typeof v === 'string' ? v : null);
const num = (v: JsonValue | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const first = (v: JsonValue | undefined): string | null => (Array.isArray(v) ? str(v[0]) : str(v));

/** RFC 3339 with any number of fraction digits (micro- and nanoseconds) → epoch ms; NaN when unreadable. */
export function rfc3339Ms(s: string): number {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})$/.exec(s);
  if (!m) return Date.parse(s);
  const ms = m[2] ? `.${m[2].slice(0, 3).padEnd(3, '0')}` : '';
  return Date.parse(`${m[1]}${ms}${m[3]}`);
}

const POD_STATE_REASONS = /^(CrashLoopBackOff|OOMKilled|Error|ContainerCannotRun|RunContainerError|CreateContainerConfigError|CreateContainerError|ImagePullBackOff|ErrImagePull|InvalidImageName|StartError)$/;

/**
 * From a kubelet's pods/status patch (audit level Request keeps the patch as `requestObject`): the most telling
 * container state (a waiting or terminated reason beats running), the highest restart count and the last exit code.
 */
function containerStatusOf(obj: JsonValue | undefined): { state: string | null; restarts: number | null; exitCode: number | null } {
  const status = isObj(obj) && isObj(obj.status) ? obj.status : undefined;
  const lists = status ? [status.containerStatuses, status.initContainerStatuses] : [];
  let state: string | null = null, restarts: number | null = null, exitCode: number | null = null;
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const cs of list) {
      if (!isObj(cs)) continue;
      const rc = num(cs.restartCount);
      if (rc !== null) restarts = Math.max(restarts ?? 0, rc);
      const st = isObj(cs.state) ? cs.state : undefined;
      const last = isObj(cs.lastState) ? cs.lastState : undefined;
      const waiting = st && isObj(st.waiting) ? str(st.waiting.reason) : null;
      const terminated = st && isObj(st.terminated) ? st.terminated : last && isObj(last.terminated) ? last.terminated : undefined;
      const tReason = terminated ? str(terminated.reason) : null;
      if (terminated && num(terminated.exitCode) !== null) exitCode = num(terminated.exitCode);
      const candidate = waiting ?? tReason ?? (st && isObj(st.running) ? 'Running' : null);
      if (candidate && (state === null || state === 'Running' || (POD_STATE_REASONS.test(candidate) && !POD_STATE_REASONS.test(state)))) state = candidate;
      // A crash-looping container waits in CrashLoopBackOff while its last run tells why (OOMKilled): keep both.
      if (waiting === 'CrashLoopBackOff' && tReason && tReason !== 'Completed') state = `CrashLoopBackOff/${tReason}`;
    }
  }
  return { state, restarts, exitCode };
}

/** From a nodes/status patch or update: the Ready condition (true/false, or null when Unknown or absent) and its reason. */
function readyConditionOf(obj: JsonValue | undefined): { ready: boolean | null; reason: string | null } {
  const status = isObj(obj) && isObj(obj.status) ? obj.status : undefined;
  const conds = status && Array.isArray(status.conditions) ? status.conditions : [];
  for (const c of conds) {
    if (isObj(c) && c.type === 'Ready') return { ready: c.status === 'True' ? true : c.status === 'False' ? false : null, reason: str(c.reason) };
  }
  return { ready: null, reason: null };
}

function normalizeAudit(e: JsonObject, f: EksFields, ent: Entities): number {
  const user = isObj(e.user) ? e.user : {};
  const extra = isObj(user.extra) ? user.extra : {};
  const ref = isObj(e.objectRef) ? e.objectRef : {};
  const rs = isObj(e.responseStatus) ? e.responseStatus : {};
  const ann = isObj(e.annotations) ? e.annotations : {};
  f.auditId = str(e.auditID);
  f.stage = str(e.stage);
  f.auditLevel = str(e.level);
  f.verb = str(e.verb);
  f.requestUri = str(e.requestURI);
  f.user = str(user.username);
  f.userGroups = Array.isArray(user.groups) ? user.groups.filter((g): g is string => typeof g === 'string').join(',') : null;
  f.anonymous = f.user === 'system:anonymous';
  f.userAgent = str(e.userAgent);
  f.sourceIp = first(e.sourceIPs);
  f.resource = str(ref.resource);
  f.subresource = str(ref.subresource);
  f.namespace = str(ref.namespace);
  f.name = str(ref.name);
  f.apiGroup = str(ref.apiGroup);
  f.responseCode = num(rs.code);
  f.decision = str(ann['authorization.k8s.io/decision']);
  f.authzReason = str(ann['authorization.k8s.io/reason']);
  f.accessKeyId = first(extra.accessKeyId);
  f.userArn = first(extra.arn);
  f.text = str(rs.message);
  if (f.resource === 'pods' && f.subresource === 'status') {
    const cs = containerStatusOf(e.requestObject ?? e.responseObject);
    f.containerState = cs.state;
    f.restartCount = cs.restarts;
    f.exitCode = cs.exitCode;
  }
  if (f.resource === 'nodes') {
    const rc = readyConditionOf(e.requestObject ?? e.responseObject);
    f.nodeReady = rc.ready;
    f.nodeCondition = rc.reason;
  }
  if (f.resource === 'pods' && f.namespace && f.name) {
    f.pod = `${f.namespace}/${f.name}`;
    f.workload = `${f.namespace}/${workloadOfPod(f.name)}`;
  }
  f.node = f.resource === 'nodes' || (f.resource === 'leases' && f.namespace === 'kube-node-lease') ? f.name : f.user ? (nodeOfUser(f.user) ?? null) : null;
  if (f.user) ent.principal = f.user;
  if (f.sourceIp) ent.ip = f.sourceIp;
  if (f.accessKeyId) ent.accessKey = f.accessKeyId;
  if (f.namespace) ent.namespace = f.namespace;
  if (f.pod) ent.pod = f.pod;
  if (f.workload) ent.workload = f.workload;
  if (f.node) ent.node = f.node;
  const t = rfc3339Ms(str(e.stageTimestamp) ?? str(e.requestReceivedTimestamp)!);
  return t;
}

function normalizeKlog(r: Extract<EksRecord, { kind: 'klog' }>, f: EksFields, ent: Entities, ref: number): number {
  const k = r.line;
  f.severity = KLOG_SEVERITIES[k.severity];
  f.thread = k.threadId;
  f.file = `${k.file}:${k.line}`;
  f.text = k.message;
  const s = parseKlogStructured(k.message);
  if (s) {
    f.msg = s.msg;
    const v = s.values;
    if (v.pod?.includes('/')) {
      f.pod = v.pod;
      const [ns, name] = v.pod.split('/') as [string, string];
      f.namespace = ns;
      f.workload = `${ns}/${workloadOfPod(name)}`;
    }
    f.node = v.node ?? (v.kind === 'Node' ? (v.object ?? null) : null);
    f.error = v.err ?? null;
    f.status = v.status ?? null;
    f.eventReason = v.reason ?? null;
  }
  if (f.namespace) ent.namespace = f.namespace;
  if (f.pod) ent.pod = f.pod;
  if (f.workload) ent.workload = f.workload;
  if (f.node) ent.node = f.node;
  return klogTime(k, ref);
}

function normalizeAuthenticator(l: LogrusLine, f: EksFields, ent: Entities, ref: number): number {
  const get = (k: string) => l.fields.find(([key]) => key === k)?.[1] ?? null;
  f.severity = l.level.toUpperCase() === 'WARN' ? 'WARNING' : l.level.toUpperCase();
  f.msg = l.msg;
  f.text = get('error') ? `${l.msg}: ${get('error')}` : l.msg;
  f.user = get('username');
  f.userArn = get('arn');
  f.accessKeyId = get('accesskeyid');
  f.client = get('client');
  f.error = get('error');
  f.userGroups = get('groups')?.replace(/^\[|\]$/g, '').split(' ').filter(Boolean).join(',') ?? null;
  f.node = f.user ? (nodeOfUser(f.user) ?? null) : null;
  if (f.user) ent.principal = f.user;
  else if (f.userArn) ent.principal = f.userArn;
  if (f.accessKeyId) ent.accessKey = f.accessKeyId;
  if (f.node) ent.node = f.node;
  const t = rfc3339Ms(l.time);
  if (Number.isNaN(t)) return ref;
  // The line keeps whole seconds; the CloudWatch timestamp, when it falls in that second, is the finer time.
  return ref >= t && ref < t + 1000 ? ref : t;
}

/** A leading level word or a logfmt/JSON `level` of an application line, normalized to klog's words. */
function appSeverity(text: string, processed: JsonValue | undefined): string | null {
  const lv = isObj(processed) ? (str(processed.level) ?? str(processed.severity) ?? str(processed.lvl)) : null;
  const m = lv ?? /^(?:\S+ )?\[?(TRACE|DEBUG|INFO|WARN(?:ING)?|ERROR|FATAL|CRITICAL|PANIC)\]?[\s:]/i.exec(text)?.[1] ?? /\blevel=(\w+)/.exec(text)?.[1] ?? (/^(panic:|fatal error:|Traceback \(most recent call last\))/.test(text) ? 'FATAL' : null);
  if (!m) return null;
  const u = m.toUpperCase();
  return u === 'WARN' ? 'WARNING' : u === 'CRITICAL' || u === 'PANIC' ? 'FATAL' : u;
}

function normalizeContainer(o: JsonObject, f: EksFields, ent: Entities, ref: number): number {
  const k = isObj(o.kubernetes) ? o.kubernetes : {};
  const log = str(o.log)!;
  f.text = log.endsWith('\n') ? log.slice(0, -1) : log;
  f.stream = str(o.stream);
  f.severity = appSeverity(f.text, o.log_processed);
  f.namespace = str(k.namespace_name);
  const podName = str(k.pod_name);
  f.pod = f.namespace && podName ? `${f.namespace}/${podName}` : null;
  f.podId = str(k.pod_id);
  f.container = str(k.container_name);
  f.node = str(k.host);
  f.containerId = str(k.docker_id);
  f.image = str(k.container_image);
  const wl = workloadOfLabels(isObj(k.labels) ? k.labels : undefined) ?? (podName ? workloadOfPod(podName) : null);
  f.workload = f.namespace && wl ? `${f.namespace}/${wl}` : null;
  if (f.namespace) ent.namespace = f.namespace;
  if (f.pod) ent.pod = f.pod;
  if (f.workload) ent.workload = f.workload;
  if (f.node) ent.node = f.node;
  const t = typeof o.time === 'string' ? rfc3339Ms(o.time) : NaN;
  return Number.isNaN(t) ? ref : t;
}

export const eksFormat: FormatSpec<EksRecord> = {
  source: 'eks',
  title: 'EKS control-plane and container logs',
  serialize: serializeEks,
  parse: parseEks,
  normalize(r, origin) {
    const cluster = clusterOfGroup(origin?.logGroup) ?? null;
    const ref = origin?.timestamp ?? Date.now();
    const logType: EksLogType = r.kind === 'klog' ? (r.component ?? 'klog') : r.kind;
    const f = emptyFields(logType, cluster);
    const ent: Entities = cluster ? { cluster } : {};
    let time: number;
    switch (r.kind) {
      case 'audit':
        time = normalizeAudit(r.event, f, ent);
        break;
      case 'klog':
        time = normalizeKlog(r, f, ent, ref);
        break;
      case 'authenticator':
        time = normalizeAuthenticator(r.line, f, ent, ref);
        break;
      case 'container':
        time = normalizeContainer(r.record, f, ent, ref);
        break;
    }
    return { time: Number.isNaN(time) ? ref : time, entities: ent, fields: { ...f } };
  },
};
