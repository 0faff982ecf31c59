import type { Rng } from '../../core/index.ts';
import { serializeEks, type KlogComponent, klogTimeParts, structuredMessage, type KlogSeverity, logrusLine, type JsonObject } from '../../formats/index.ts';
import type { GeneratedEvent, TruthLabel } from '../types.ts';
import { streamOfPod, type ClusterModel, type EksPod, type Principal } from './cluster-model.ts';

/** The thread id each control-plane component logs under for a whole drill (klog writes the process id). */
const THREADS: Record<KlogComponent, number> = { api: 10, controllerManager: 11, scheduler: 12, cloudControllerManager: 1 };

const labelled = (e: GeneratedEvent, label?: TruthLabel): GeneratedEvent => (label ? { ...e, label } : e);

/** A klog line of a control-plane component; `message` is either text or `structuredMessage(…)`. */
export function klogEvent(c: Rng, model: ClusterModel, component: KlogComponent, t: number, severity: KlogSeverity, file: string, message: string, label?: TruthLabel): GeneratedEvent {
  const [f, line] = file.split(':') as [string, string];
  const text = serializeEks({ kind: 'klog', component, line: { severity, ...klogTimeParts(t, c.int(0, 999)), threadId: THREADS[component], file: f, line: Number(line), message } });
  return labelled({ time: t, source: 'eks', dest: { kind: 'cwl', logGroup: model.groups.cluster, logStream: model.streams[component] }, message: text }, label);
}

export function structuredKlog(c: Rng, model: ClusterModel, component: KlogComponent, t: number, file: string, msg: string, kv: readonly (readonly [string, string | number | boolean])[], label?: TruthLabel, severity: KlogSeverity = 'I'): GeneratedEvent {
  return klogEvent(c, model, component, t, severity, file, structuredMessage(msg, kv), label);
}

const rfc3339s = (t: number) => `${new Date(t).toISOString().slice(0, 19)}Z`;

/**
 * The authenticator's lines for one token review of an IAM principal: "STS response" then "access granted"
 * (the AWS IAM Authenticator's server logs both for identities of the customer's account).
 */
export function authenticatorEvents(c: Rng, model: ClusterModel, p: Principal, t: number, label?: TruthLabel): GeneratedEvent[] {
  if (!p.iam) return [];
  const client = `127.0.0.1:${c.int(32768, 60999)}`;
  const sts = `sts.${model.region}.amazonaws.com`;
  const dest = { kind: 'cwl' as const, logGroup: model.groups.cluster, logStream: model.streams.authenticator };
  const base = { method: 'POST', path: '/authenticate', client, stsendpoint: sts };
  const out: GeneratedEvent[] = [];
  if (p.iam.accountId === model.accountId) {
    const line = logrusLine(rfc3339s(t), 'info', 'STS response', { ...base, accesskeyid: p.iam.accessKeyId, accountid: p.iam.accountId, arn: p.iam.arn, session: p.iam.session, userid: p.iam.userId });
    out.push(labelled({ time: t, source: 'eks', dest, message: serializeEks({ kind: 'authenticator', line }) }, label));
  }
  const granted = logrusLine(rfc3339s(t), 'info', 'access granted', { ...base, arn: p.iam.canonicalArn, groups: `[${p.groups.filter((g) => g !== 'system:authenticated').join(' ')}]`, uid: p.uid, username: p.username });
  out.push(labelled({ time: t, source: 'eks', dest, message: serializeEks({ kind: 'authenticator', line: granted }) }, label));
  return out;
}

/** An "access denied" of the authenticator (a token it cannot map, or STS refusing the signature). */
export function authenticatorDenied(c: Rng, model: ClusterModel, t: number, error: string, arn: string | undefined, label?: TruthLabel): GeneratedEvent {
  const fields: Record<string, string> = { method: 'POST', path: '/authenticate', client: `127.0.0.1:${c.int(32768, 60999)}`, error };
  if (arn) fields.arn = arn;
  const line = logrusLine(rfc3339s(t), 'warning', 'access denied', fields);
  return labelled({ time: t, source: 'eks', dest: { kind: 'cwl', logGroup: model.groups.cluster, logStream: model.streams.authenticator }, message: serializeEks({ kind: 'authenticator', line }) }, label);
}

/** Go's RFC3339Nano: nine fraction digits with trailing zeros dropped (containerd writes CRI times so). */
export function rfc3339Nano(t: number, nanosWithinMs: number): string {
  const iso = new Date(t).toISOString();
  const frac = `${iso.slice(20, 23)}${String(nanosWithinMs).padStart(6, '0')}`.replace(/0+$/, '');
  return `${iso.slice(0, 19)}${frac ? `.${frac}` : ''}Z`;
}

/**
 * A container's line as Container Insights' Fluent Bit ships it from a containerd node: the CRI fields
 * (time, stream, _p, log), the parsed JSON as `log_processed` when the line is JSON (Merge_Log_Key), and the
 * Kubernetes filter's metadata in its key order.
 */
export function containerEvent(c: Rng, model: ClusterModel, pod: EksPod, t: number, text: string, stderr: boolean, label?: TruthLabel): GeneratedEvent {
  const record: JsonObject = { time: rfc3339Nano(t, c.int(0, 999_999)), stream: stderr ? 'stderr' : 'stdout', _p: 'F', log: text };
  if (text.startsWith('{')) {
    try {
      record.log_processed = JSON.parse(text) as JsonObject;
    } catch {
      // not JSON after all: Fluent Bit leaves it as text
    }
  }
  record.kubernetes = {
    pod_name: pod.name,
    namespace_name: pod.namespace,
    pod_id: pod.uid,
    labels: { app: pod.workload.name, 'pod-template-hash': pod.podTemplateHash },
    host: pod.node.name,
    container_name: pod.workload.container,
    docker_id: pod.containerId,
    container_hash: pod.imageDigest,
    container_image: `${model.accountId}.dkr.ecr.${model.region}.amazonaws.com/${pod.workload.repo}:${pod.workload.tag}`,
  };
  return labelled({ time: t, source: 'eks', dest: { kind: 'cwl', logGroup: model.groups.application, logStream: streamOfPod(pod) }, message: serializeEks({ kind: 'container', record }) }, label);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Fills a workload template; `{date}` takes the form the workload's logger writes. */
export function fillLine(c: Rng, tpl: string, t: number, style: string, vars: Record<string, string> = {}): string {
  const d = new Date(t);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const date = style === 'morgan'
    ? `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`
    : style === 'gunicorn' ? `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)} +0000` : d.toISOString();
  const trace = String(c.int(100_000_000, 999_999_999));
  return tpl.replace(/\{(\w+)\}/g, (m, k: string) => {
    switch (k) {
      case 'date': return date;
      case 'n': return String(c.int(1, 4000));
      case 'ms': return String(Math.max(1, Math.round(c.logNormal(3.2, 0.7))));
      case 'uuid': return c.uuid();
      case 'hex8': return c.hex(8);
      case 'sku': return `SKU-${c.int(1000, 9999)}`;
      case 'order': return `ORD-${c.int(100000, 999999)}`;
      case 'trace': return trace;
      default: return vars[k] ?? m;
    }
  });
}
