import { computeInventory, topologyInventory, type ComputeKind, type ResourceKind, type Topology } from '../../core/topology/index.ts';
import { costNote, type Billing } from './cost-notes.ts';

/** One resource `--target aws` (or infra/) would create. */
export interface PlannedResource {
  kind: ResourceKind | ComputeKind;
  name: string;
  /** `bootstrap`: run, load and up create it when missing; `playbooks`: run deploys it; `infra`: terraform apply does. */
  createdBy: 'bootstrap' | 'playbooks' | 'infra';
  billing: Billing;
  note: string;
  hourlyUsd?: number;
}

export interface AwsPlan {
  topology: Topology;
  resources: PlannedResource[];
  /** What is billed by the hour while it exists, summed (for the `createdBy`s included). */
  hourlyUsd: number;
}

/**
 * What `--target aws` would create, from the topology's inventory, each with its cost note: the data plane and the
 * estate (bootstrap), the playbooks' state machines (run); with `infra`, also what `terraform apply` of infra/ adds
 * (the functions, their triggers and schedule, the load task). Computed offline: nothing is asked of AWS.
 */
export function awsPlan(topology: Topology, opts: { infra?: boolean } = {}): AwsPlan {
  const resources: PlannedResource[] = topologyInventory(topology).map((i) => ({ kind: i.kind, name: i.name, createdBy: 'bootstrap', ...costNote(i.kind, topology) }));
  for (const i of computeInventory(topology)) {
    const createdBy = i.kind === 'state-machine' ? 'playbooks' : 'infra';
    if (createdBy === 'infra' && !opts.infra) continue;
    resources.push({ kind: i.kind, name: i.name, createdBy, ...costNote(i.kind, topology) });
  }
  const hourlyUsd = resources.reduce((a, r) => a + (r.hourlyUsd ?? 0), 0);
  return { topology, resources, hourlyUsd };
}

/** What is billed while it exists, grouped by kind: the line a refusal without --yes shows. */
export function billableSummary(plan: AwsPlan): string {
  const byKind = new Map<string, number>();
  for (const r of plan.resources) if (r.billing === 'while-it-exists') byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + 1);
  const parts = [...byKind].map(([kind, n]) => `${n} ${kind}${n > 1 ? 's' : ''}`);
  return `${parts.join(', ')} (≈ $${plan.hourlyUsd.toFixed(2)}/h, ≈ $${(plan.hourlyUsd * 730).toFixed(0)}/month while they exist)`;
}

/** The plan as text: billed while it exists first, then by use, then free; names in full. */
export function formatAwsPlan(plan: AwsPlan): string {
  const t = plan.topology;
  const lines = [`firedrill plan: what --target aws creates in the account of your credentials, region ${t.region}, prefix ${t.prefix}`];
  lines.push(`every resource is tagged ${Object.entries(t.tags).map(([k, v]) => `${k}=${v}`).join(' ')}; \`firedrill down --prefix ${t.prefix}\` removes them`, '');
  const width = Math.max(...plan.resources.map((r) => r.kind.length));
  const by: Record<PlannedResource['createdBy'], string> = { bootstrap: 'run/load/up', playbooks: 'run', infra: 'infra/' };
  for (const [billing, title] of [['while-it-exists', 'BILLED WHILE IT EXISTS'], ['by-use', 'BILLED BY USE'], ['free', 'FREE']] as const) {
    const rs = plan.resources.filter((r) => r.billing === billing);
    if (rs.length === 0) continue;
    lines.push(title);
    for (const r of rs) lines.push(`  ${r.kind.padEnd(width)}  ${r.name}  [${by[r.createdBy]}]${billing === 'free' ? '' : `  ${r.note}`}`);
    lines.push('');
  }
  lines.push(`billed while it exists: ${billableSummary(plan)}`);
  lines.push('creating any of it needs --yes (run, load and up refuse without it); bootstrap creates only what is missing.');
  return lines.join('\n');
}
