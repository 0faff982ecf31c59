import type { Rng } from '../../core/index.ts';
import { type JsonObject, type JsonValue, serializeEks } from '../../formats/index.ts';
import type { GeneratedEvent, TruthLabel } from '../types.ts';
import type { ClusterModel, Principal } from './cluster-model.ts';

/**
 * Kubernetes audit events as EKS writes them: the level comes from EKS' published audit policy (EKS best
 * practices guide, "Auditing and logging"), the keys follow the audit.k8s.io/v1 Event in API order, and the
 * line is Go's JSON (formats/eks.ts escapes as encoding/json does).
 */
export interface AuditRequest {
  verb: string;
  /** A resource request: resource, API group ('' for core) and version. */
  resource?: string;
  group?: string;
  version?: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** A non-resource request (`/healthz`, `/api`, `/`): its path. */
  path?: string;
  /** Query string appended to the request URI (`timeout=10s`, `limit=500` …). */
  query?: string;
  /** Response code (default 200, 201 for create); 401/403 carry a Failure status. */
  code?: number;
  requestObject?: JsonValue;
  responseObject?: JsonValue;
  /** Long-running requests (exec, watch) log ResponseStarted then ResponseComplete; `started` gives the first. */
  stage?: 'ResponseComplete' | 'ResponseStarted';
  uid?: string;
  resourceVersion?: string;
  /** Server-side latency (ms) between request received and this stage. */
  latencyMs?: number;
  /** The request's audit id: the stages of one long-running request share it. */
  auditId?: string;
}

export type AuditLevel = 'None' | 'Metadata' | 'Request' | 'RequestResponse';

/** The API groups the policy names as "known" (its Request and RequestResponse rules). */
const KNOWN_GROUPS = new Set([
  '', 'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'apiregistration.k8s.io', 'apps', 'authentication.k8s.io', 'authorization.k8s.io', 'autoscaling',
  'batch', 'certificates.k8s.io', 'extensions', 'metrics.k8s.io', 'networking.k8s.io', 'policy', 'rbac.authorization.k8s.io', 'scheduling.k8s.io', 'settings.k8s.io', 'storage.k8s.io',
]);

/** EKS' audit policy, rule by rule (first match wins). */
export function eksAuditLevel(user: Pick<Principal, 'username' | 'groups'>, r: AuditRequest): AuditLevel {
  const u = user.username;
  const g = r.group ?? '';
  const res = r.subresource ? `${r.resource}/${r.subresource}` : r.resource;
  const inGroups = (x: string) => user.groups.includes(x);
  if (r.path !== undefined) {
    if (/^\/healthz/.test(r.path) || r.path === '/version' || /^\/swagger/.test(r.path)) return 'None';
    return 'Metadata';
  }
  if (r.namespace === 'kube-system' && ['update', 'patch', 'delete'].includes(r.verb) && g === '' && r.resource === 'configmaps' && r.name === 'aws-auth') return 'RequestResponse';
  if (u === 'system:kube-proxy' && r.verb === 'watch' && g === '' && ['endpoints', 'services', 'services/status'].includes(res!)) return 'None';
  if ((u === 'kubelet' || inGroups('system:nodes')) && r.verb === 'get' && g === '' && ['nodes', 'nodes/status'].includes(res!)) return 'None';
  if (['system:kube-controller-manager', 'system:kube-scheduler', 'system:serviceaccount:kube-system:endpoint-controller'].includes(u) && ['get', 'update'].includes(r.verb) && r.namespace === 'kube-system' && g === '' && r.resource === 'endpoints') return 'None';
  if (u === 'system:apiserver' && r.verb === 'get' && g === '' && ['namespaces', 'namespaces/status', 'namespaces/finalize'].includes(res!)) return 'None';
  if (u === 'system:kube-controller-manager' && ['get', 'list'].includes(r.verb) && g === 'metrics.k8s.io') return 'None';
  if (g === '' && r.resource === 'events') return 'None';
  if ((u === 'kubelet' || inGroups('system:nodes') || u.endsWith('node-problem-detector')) && ['update', 'patch'].includes(r.verb) && g === '' && ['nodes/status', 'pods/status'].includes(res!)) return 'Request';
  if (u === 'system:serviceaccount:kube-system:namespace-controller' && r.verb === 'deletecollection') return 'Request';
  if ((g === '' && (r.resource === 'secrets' || r.resource === 'configmaps')) || (g === 'authentication.k8s.io' && r.resource === 'tokenreviews')) return 'Metadata';
  if (g === '' && res === 'serviceaccounts/token') return 'Request';
  if (['get', 'list', 'watch'].includes(r.verb) && KNOWN_GROUPS.has(g)) return 'Request';
  if (KNOWN_GROUPS.has(g)) return 'RequestResponse';
  return 'Metadata';
}

/** `/api/v1/namespaces/shop/pods/cart-…/exec` and the like, with the query. */
export function requestUri(r: AuditRequest): string {
  let base: string;
  if (r.path !== undefined) base = r.path;
  else {
    const g = r.group ?? '';
    const root = g === '' ? `/api/${r.version ?? 'v1'}` : `/apis/${g}/${r.version ?? 'v1'}`;
    base = `${root}${r.namespace ? `/namespaces/${r.namespace}` : ''}/${r.resource}${r.name ? `/${r.name}` : ''}${r.subresource ? `/${r.subresource}` : ''}`;
  }
  return r.query ? `${base}?${r.query}` : base;
}

function forbiddenStatus(user: string, r: AuditRequest): JsonObject {
  if (r.path !== undefined) {
    return { metadata: {}, status: 'Failure', message: `forbidden: User "${user}" cannot ${r.verb} path "${r.path}"`, reason: 'Forbidden', details: {}, code: 403 };
  }
  const res = r.subresource ? `${r.resource}/${r.subresource}` : r.resource!;
  const scope = r.namespace ? `in the namespace "${r.namespace}"` : 'at the cluster scope';
  const what = r.name ? `"${r.name}" is forbidden` : 'is forbidden';
  const message = `${r.resource} ${what}: User "${user}" cannot ${r.verb} resource "${res}" in API group "${r.group ?? ''}" ${scope}`;
  const details: JsonObject = r.name ? { name: r.name, kind: r.resource! } : { kind: r.resource! };
  if (r.group) details.group = r.group;
  return { metadata: {}, status: 'Failure', message, reason: 'Forbidden', details, code: 403 };
}

function micro(ms: number, c: Rng): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 23)}${String(c.int(0, 999)).padStart(3, '0')}Z`;
}

/**
 * One audit event of `p`'s request, written at `t` (its stage time). Returns undefined when EKS' policy does not
 * log it (level None): callers may ask for anything and get only what EKS would have written.
 */
export function auditEvent(c: Rng, model: ClusterModel, p: Principal, r: AuditRequest, t: number, label?: TruthLabel): GeneratedEvent | undefined {
  const level = eksAuditLevel(p, r);
  if (level === 'None') return undefined;
  const code = r.code ?? (r.verb === 'create' && r.subresource !== 'exec' ? 201 : 200);
  const user: JsonObject = { username: p.username };
  if (p.uid) user.uid = p.uid;
  user.groups = p.groups;
  if (p.extra) user.extra = p.extra;
  const ev: JsonObject = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level,
    auditID: r.auditId ?? c.uuid(),
    stage: r.stage ?? 'ResponseComplete',
    requestURI: requestUri(r),
    verb: r.verb,
    user,
    sourceIPs: [c.pick(p.sourceIps)],
    userAgent: p.userAgent,
  };
  if (r.path === undefined) {
    const ref: JsonObject = { resource: r.resource! };
    if (r.namespace) ref.namespace = r.namespace;
    if (r.name) ref.name = r.name;
    if (r.uid) ref.uid = r.uid;
    if (r.group) ref.apiGroup = r.group;
    ref.apiVersion = r.version ?? 'v1';
    if (r.resourceVersion) ref.resourceVersion = r.resourceVersion;
    if (r.subresource) ref.subresource = r.subresource;
    ev.objectRef = ref;
  }
  ev.responseStatus = code === 403 ? forbiddenStatus(p.username, r) : code === 401 ? { metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 } : { metadata: {}, code };
  // Request bodies are kept at Request and RequestResponse; responses only at RequestResponse (never for non-resource URLs).
  if ((level === 'Request' || level === 'RequestResponse') && r.path === undefined && r.requestObject !== undefined) ev.requestObject = r.requestObject;
  if (level === 'RequestResponse' && r.path === undefined && r.responseObject !== undefined && code < 400) ev.responseObject = r.responseObject;
  const latency = Math.max(1, Math.round(r.latencyMs ?? c.logNormal(1.8, 0.7)));
  ev.requestReceivedTimestamp = micro(t - latency, c);
  ev.stageTimestamp = micro(t, c);
  ev.annotations = code === 403 ? { 'authorization.k8s.io/decision': 'forbid', 'authorization.k8s.io/reason': '' } : { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': p.allowReason };
  const message = serializeEks({ kind: 'audit', event: ev });
  const e: GeneratedEvent = { time: t, source: 'eks', dest: { kind: 'cwl', logGroup: model.groups.cluster, logStream: model.streams.audit }, message };
  if (label) e.label = label;
  return e;
}

/** An exec stream: ResponseStarted when upgraded, ResponseComplete (same audit id) when the shell exits. */
export function execSession(c: Rng, model: ClusterModel, p: Principal, r: AuditRequest, t: number, label?: TruthLabel): (GeneratedEvent | undefined)[] {
  const auditId = c.uuid();
  const d = c.int(20_000, 240_000);
  const started = r.latencyMs ?? 30;
  return [auditEvent(c, model, p, { ...r, auditId, stage: 'ResponseStarted', latencyMs: started }, t, label), auditEvent(c, model, p, { ...r, auditId, stage: 'ResponseComplete', latencyMs: d + started }, t + d, label)];
}
