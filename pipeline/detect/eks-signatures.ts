import type { NormalizedRecord } from '../../formats/index.ts';
import type { Entities } from '../../core/index.ts';
import { candidateFrom, scoreOver, type Candidate } from './candidate.ts';
import { distinct, groupBy, str } from './features.ts';
import type { SignatureContext } from './signatures.ts';

/**
 * EKS signatures over the control-plane and container logs of each cluster. General Kubernetes semantics only:
 * kubelet status reports, HTTP 401/403 answers, exec and secret access, node conditions. Counts are judged
 * against baselines learned per cluster, workload or node; "unusual" means never seen in what was learned.
 */
const CRASH_STATE = /^(CrashLoopBackOff|OOMKilled|Error|ContainerCannotRun|RunContainerError|StartError|CreateContainerError)/;
const STREAM_SUBRESOURCES = new Set(['exec', 'attach', 'portforward']);

const isAudit = (r: NormalizedRecord) => str(r, 'logType') === 'audit';
const code = (r: NormalizedRecord) => (typeof r.fields.responseCode === 'number' ? r.fields.responseCode : 0);

const top = (g: NormalizedRecord[], key: (r: NormalizedRecord) => string): string | undefined => {
  let best: [string, number] | undefined;
  for (const [k, v] of groupBy(g, key)) if (!best || v.length > best[1]) best = [k, v.length];
  return best?.[0];
};

/** A kubelet (or any member of system:nodes) and the control plane's own components read secrets by design. */
function isInfrastructure(user: string, groups: string): boolean {
  return user.startsWith('system:node:') || groups.split(',').includes('system:nodes') || user.startsWith('system:kube-') || user.startsWith('system:serviceaccount:kube-system:') || user.startsWith('eks:');
}

// ─── Crash loops ──────────────────────────────────────────────────────────────────────────────────────
function crashLoops(ctx: SignatureContext, out: Candidate[], cluster: string, rs: NormalizedRecord[]): void {
  // A restart shows twice: the kubelet's pod status patch (waiting reason, last termination) and a new container
  // id in the container's log stream. Either counts, so a cluster logging only one of them is still watched.
  const patches = rs.filter((r) => isAudit(r) && str(r, 'resource') === 'pods' && str(r, 'subresource') === 'status' && CRASH_STATE.test(str(r, 'containerState')));
  const containerLines = rs.filter((r) => str(r, 'logType') === 'container' && str(r, 'containerId') !== '');
  const newContainers = new Map<string, number>();
  for (const [pod, g] of groupBy(containerLines, (r) => str(r, 'pod'))) newContainers.set(pod, distinct(g, (r) => str(r, 'containerId')) - 1);
  const workloads = new Set([...patches, ...containerLines].map((r) => str(r, 'workload')).filter(Boolean));
  for (const wl of workloads) {
    const p = patches.filter((r) => str(r, 'workload') === wl);
    const pods = new Set([...p.map((r) => str(r, 'pod')), ...containerLines.filter((r) => str(r, 'workload') === wl).map((r) => str(r, 'pod'))]);
    let restartsFromStreams = 0;
    for (const pod of pods) restartsFromStreams += newContainers.get(pod) ?? 0;
    const signals = Math.max(p.length, restartsFromStreams);
    const key = `eks:crashloop:${cluster}/${wl}`;
    const thr = ctx.threshold(key, { floor: 3, ratio: 3, z: 6, minSd: 0.5 });
    const fired = signals >= thr;
    if (fired) {
      // The application's last words first (the sample a person reads): the last line of every container that was
      // replaced in this window, and its error lines; then the kubelet's reports.
      const dying: NormalizedRecord[] = [];
      for (const [, lines] of groupBy(containerLines.filter((r) => str(r, 'workload') === wl), (r) => str(r, 'pod'))) {
        const byContainer = [...groupBy(lines, (r) => str(r, 'containerId')).values()].sort((a, b) => a[0]!.time - b[0]!.time);
        for (const c of byContainer.slice(0, -1)) dying.push(c[c.length - 1]!);
        dying.push(...lines.filter((r) => str(r, 'stream') === 'stderr' || /^(ERROR|FATAL)$/.test(str(r, 'severity'))));
      }
      const states = p.map((r) => str(r, 'containerState'));
      const crashPods = p.length ? p : containerLines.filter((r) => str(r, 'workload') === wl && (newContainers.get(str(r, 'pod')) ?? 0) > 0);
      const topPod = top(crashPods, (r) => str(r, 'pod'));
      const topNode = top(crashPods.filter((r) => str(r, 'node')), (r) => str(r, 'node'));
      const entities: Entities = { cluster, workload: wl, namespace: wl.split('/')[0]!, ...(topPod ? { pod: topPod } : {}), ...(topNode ? { node: topNode } : {}) };
      const oom = states.filter((s) => s.includes('OOMKilled')).length;
      const backoff = states.filter((s) => s.startsWith('CrashLoopBackOff')).length;
      out.push(candidateFrom([...new Set(dying)].sort((a, b) => a.time - b.time).concat(p), {
        kind: 'eks-crashloop-storm', primary: 'workload', entities, count: signals,
        score: scoreOver(signals, thr), method: 'signature:eks-crashloop',
        summary: `${signals} container restarts in ${wl} across ${new Set(crashPods.map((r) => str(r, 'pod'))).size} pods (CrashLoopBackOff ×${backoff}, OOMKilled ×${oom}, new containers ×${restartsFromStreams})`,
        features: { restartReports: p.length, newContainers: restartsFromStreams, crashLoopBackOff: backoff, oomKilled: oom, threshold: thr },
      }));
    }
    ctx.observe(key, signals, fired);
  }
}

// ─── Refused API bursts ───────────────────────────────────────────────────────────────────────────────
function refusedBursts(ctx: SignatureContext, out: Candidate[], cluster: string, rs: NormalizedRecord[]): void {
  const refused = rs.filter((r) => isAudit(r) && (code(r) === 401 || code(r) === 403 || str(r, 'decision') === 'forbid'));
  const anonymous = refused.filter((r) => r.fields.anonymous === true || str(r, 'user') === '');
  const authenticated = refused.filter((r) => !(r.fields.anonymous === true || str(r, 'user') === ''));
  const checks: { key: string; groups: Map<string, NormalizedRecord[]>; opts: { floor: number; ratio: number; z: number }; anonymous: boolean }[] = [
    { key: `eks:refusedAnonymousPerIp:${cluster}`, groups: groupBy(anonymous, (r) => str(r, 'sourceIp')), opts: { floor: 20, ratio: 5, z: 8 }, anonymous: true },
    { key: `eks:refusedPerPrincipal:${cluster}`, groups: groupBy(authenticated, (r) => str(r, 'user')), opts: { floor: 15, ratio: 4, z: 8 }, anonymous: false },
  ];
  for (const c of checks) {
    const thr = ctx.threshold(c.key, c.opts);
    let max = 0, fired = false;
    for (const [who, g] of c.groups) {
      max = Math.max(max, g.length);
      if (g.length < thr) continue;
      fired = true;
      const ip = c.anonymous ? who : top(g, (r) => str(r, 'sourceIp'));
      const key = g.find((r) => str(r, 'accessKeyId'))?.fields.accessKeyId;
      const entities: Entities = { cluster, principal: c.anonymous ? 'system:anonymous' : who, ...(ip ? { ip } : {}), ...(typeof key === 'string' ? { accessKey: key } : {}) };
      out.push(candidateFrom(g, {
        kind: 'eks-api-forbidden-burst', primary: c.anonymous ? 'ip' : 'principal', entities,
        score: scoreOver(g.length, thr), method: c.anonymous ? 'signature:eks-anonymous-refused' : 'signature:eks-principal-refused',
        summary: `${g.length} refused API requests (401/403) ${c.anonymous ? `from anonymous ${who}` : `by ${who}`} across ${distinct(g, (r) => `${str(r, 'resource')}|${str(r, 'requestUri').split('?')[0]}`)} paths and ${distinct(g, (r) => str(r, 'resource'))} resource types`,
        features: { refused: g.length, distinctResources: distinct(g, (r) => str(r, 'resource')), distinctNamespaces: distinct(g, (r) => str(r, 'namespace')), threshold: thr },
      }));
    }
    if (c.groups.size > 0 || ctx.warm(c.key)) ctx.observe(c.key, max, fired);
  }
}

// ─── Exec into pods and secret reads by an unusual principal ─────────────────────────────────────────────
function unusualAccess(ctx: SignatureContext, out: Candidate[], cluster: string, rs: NormalizedRecord[]): void {
  const audit = rs.filter((r) => isAudit(r) && str(r, 'user') !== '' && r.fields.anonymous !== true);
  const execSet = `eks:exec:${cluster}`, secretSet = `eks:secrets:${cluster}`, principalSet = `eks:principals:${cluster}`;
  // The sets exist from the first window, so "never seen" has a meaning even for what nobody did yet.
  for (const s of [execSet, secretSet, principalSet]) ctx.learn(s, '');
  const isExec = (r: NormalizedRecord) => str(r, 'resource') === 'pods' && STREAM_SUBRESOURCES.has(str(r, 'subresource')) && code(r) < 400;
  const isSecretRead = (r: NormalizedRecord) => str(r, 'resource') === 'secrets' && /^(get|list|watch)$/.test(str(r, 'verb')) && code(r) < 400;
  for (const [user, g] of groupBy(audit, (r) => str(r, 'user'))) {
    if (isInfrastructure(user, str(g[0]!, 'userGroups'))) continue;
    const ipSet = `eks:ip:${cluster}:${user}`;
    for (const [ip, gi] of groupBy(g, (r) => str(r, 'sourceIp'))) {
      const exec = gi.filter(isExec);
      const secrets = gi.filter(isSecretRead);
      const sessionKey = `eks:access:${cluster}:${user}|${ip}`;
      const novelIp = ctx.setWarm(ipSet) && ctx.novel(ipSet, ip);
      const novelPrincipal = !ctx.setWarm(ipSet) && ctx.novel(principalSet, user);
      const novelExec = exec.length > 0 && ctx.novel(execSet, user);
      const novelSecrets = secrets.length > 0 && ctx.novel(secretSet, user);
      if (!ctx.hasSession(sessionKey) && !novelIp && !novelPrincipal && !novelExec && !novelSecrets) {
        // Nothing new: what this principal does from here is its normal.
        ctx.learn(ipSet, ip);
        ctx.learn(principalSet, user);
        if (exec.length) ctx.learn(execSet, user);
        if (secrets.length) ctx.learn(secretSet, user);
        continue;
      }
      // Something new (an address, a principal, a first exec or secret read): watch it as a session, so slow
      // steps add up over windows, and learn it only if the watch ends with nothing to show.
      const ses = ctx.session(sessionKey);
      if (novelIp) ses.points.novelIp = 1;
      if (novelPrincipal) ses.points.novelPrincipal = 1;
      if (novelExec) ses.points.novelExec = 1;
      if (novelSecrets) ses.points.novelSecrets = 1;
      const secretNamespaces = new Set(secrets.map((r) => str(r, 'namespace') || '*'));
      const breadth = secretNamespaces.has('*') || secretNamespaces.size >= 3 || distinct(secrets, (r) => str(r, 'name')) >= 5 || distinct(exec, (r) => str(r, 'pod')) >= 2;
      if (breadth) ses.points.breadth = 1;
      ses.values.exec = (ses.values.exec ?? 0) + distinct(exec, (r) => str(r, 'auditId'));
      ses.values.secrets = (ses.values.secrets ?? 0) + secrets.length;
      const evidence = Object.values(ses.points).reduce((a, b) => a + b, 0);
      if (evidence >= 3 && (exec.length || secrets.length || ses.flagged)) {
        ses.flagged = true;
        const key = gi.find((r) => str(r, 'accessKeyId'))?.fields.accessKeyId;
        const ev = [...exec, ...secrets];
        out.push(candidateFrom(ev.length ? ev : gi, {
          kind: 'eks-exec-secret-access', primary: typeof key === 'string' ? 'accessKey' : 'principal',
          entities: { cluster, principal: user, ip, ...(typeof key === 'string' ? { accessKey: key } : {}) },
          count: gi.length, score: Math.min(0.99, 0.35 + 0.12 * evidence), method: 'signature:eks-unusual-access',
          summary: `${user} from ${ip}${ses.points.novelIp ? ' (never-seen address)' : ses.points.novelPrincipal ? ' (never-seen principal)' : ''}: ${ses.values.exec} exec session(s)${ses.points.novelExec ? ' (never exec\'d before)' : ''}, ${ses.values.secrets} secret reads${ses.points.novelSecrets ? ' (never read secrets before)' : ''} across ${secretNamespaces.size} namespace scope(s)`,
          features: { ...ses.points, exec: ses.values.exec ?? 0, secretReads: ses.values.secrets ?? 0, evidence },
        }));
      } else if (!ses.flagged && ctx.window.end - ses.first > ctx.sessionMs) {
        // Watched long enough and it never added up: a new but legitimate habit.
        ctx.endSession(sessionKey);
        ctx.learn(ipSet, ip);
        ctx.learn(principalSet, user);
        if (ses.values.exec) ctx.learn(execSet, user);
        if (ses.values.secrets) ctx.learn(secretSet, user);
      }
    }
  }
}

// ─── Nodes NotReady ───────────────────────────────────────────────────────────────────────────────────
function notReadyNodes(ctx: SignatureContext, out: Candidate[], cluster: string, rs: NormalizedRecord[]): void {
  const signals = rs.filter((r) =>
    (isAudit(r) && str(r, 'resource') === 'nodes' && r.fields.nodeReady === false)
    || (str(r, 'status') === 'NodeNotReady' || str(r, 'eventReason') === 'NodeNotReady'));
  for (const [node, g] of groupBy(signals, (r) => str(r, 'node'))) {
    const key = `eks:notReady:${cluster}/${node}`;
    const thr = ctx.threshold(key, { floor: 2, ratio: 3, z: 6, minSd: 0.5 });
    const fired = g.length >= thr;
    if (fired) {
      const reasons = [...new Set(g.map((r) => str(r, 'nodeCondition')).filter(Boolean))];
      out.push(candidateFrom([...g.filter((r) => !isAudit(r)), ...g.filter(isAudit)], {
        kind: 'eks-node-not-ready', primary: 'node', entities: { cluster, node },
        score: scoreOver(g.length, thr), method: 'signature:eks-node-not-ready',
        summary: `node ${node} NotReady: ${g.filter(isAudit).length} kubelet reports${reasons.length ? ` (${reasons.join(', ')})` : ''}, ${g.filter((r) => !isAudit(r)).length} controller records`,
        features: { signals: g.length, kubeletReports: g.filter(isAudit).length, threshold: thr },
      }));
    }
    ctx.observe(key, g.length, fired);
  }
}

/** Every EKS signature, per cluster. */
export function eksSignatures(ctx: SignatureContext, out: Candidate[]): void {
  const rs = ctx.records.eks ?? [];
  for (const [cluster, g] of groupBy(rs, (r) => r.entities.cluster || str(r, 'cluster') || 'unknown')) {
    crashLoops(ctx, out, cluster, g);
    refusedBursts(ctx, out, cluster, g);
    unusualAccess(ctx, out, cluster, g);
    notReadyNodes(ctx, out, cluster, g);
  }
}
