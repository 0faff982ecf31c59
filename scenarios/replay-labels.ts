import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ConfigError, INCIDENT_KINDS, ENTITY_TYPES, type Entities, type IncidentKind } from '../core/index.ts';
import { closest } from '../core/config-file/index.ts';
import type { RecordedLine } from './replay.ts';

/**
 * Ground truth for replayed data, in the file's own clock: time windows (a labels file) or labelled lines (an
 * NDJSON recording whose lines carry `label: <incident kind>`). The compiler moves them onto the drill clock with
 * the lines and makes them incidents of the truth manifest; a replay without either is unlabelled.
 */
export interface LabelWindow {
  id?: string;
  kind: IncidentKind;
  /** Epoch ms, file clock; [start, end]. */
  start: number;
  end: number;
  entities: Entities;
}

const KINDS = new Set<string>(INCIDENT_KINDS);

function timeOf(v: unknown, where: string, file: string): number {
  const t = typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : Number.NaN;
  if (!Number.isFinite(t)) throw new ConfigError(`labels: ${file}: ${where} is not a time`, { expected: 'an ISO 8601 time or epoch milliseconds, in the recording’s own clock', seen: JSON.stringify(v) });
  return t;
}

function kindOf(v: unknown, where: string, file: string): IncidentKind {
  if (typeof v === 'string' && KINDS.has(v)) return v as IncidentKind;
  const guess = typeof v === 'string' ? closest(v, [...KINDS]) : undefined;
  throw new ConfigError(`labels: ${file}: ${where} is not an incident kind`, { expected: `one of ${[...KINDS].join(', ')}`, seen: JSON.stringify(v), ...(guess ? { fix: `did you mean \`${guess}\`?` } : {}) });
}

/** Reads a labels file: a YAML or JSON list (or NDJSON) of `{ id?, kind, start, end, entities? }`. */
export function readLabels(file: string): LabelWindow[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`labels: cannot read ${file}`, { expected: 'a readable labels file', seen: (err as Error).message, fix: 'paths in `replay.labels` are relative to the scenario file', cause: err });
  }
  let items: unknown;
  try {
    items = parseYaml(text);
  } catch {
    items = text.split(/\r?\n/).filter((l) => l.trim()).map((l) => JSON.parse(l) as unknown);
  }
  if (!Array.isArray(items)) {
    // NDJSON of several objects is not one YAML document; one object is a list of one.
    items = items && typeof items === 'object' ? [items] : [];
  }
  return (items as unknown[]).map((raw, i) => {
    const o = (raw ?? {}) as Record<string, unknown>;
    const where = `label ${i + 1}`;
    const entities: Entities = {};
    for (const [k, v] of Object.entries((o.entities ?? {}) as Record<string, unknown>)) {
      if (!(ENTITY_TYPES as readonly string[]).includes(k)) throw new ConfigError(`labels: ${file}: ${where} names an unknown entity type`, { expected: ENTITY_TYPES.join(', '), seen: k });
      if (typeof v === 'string') entities[k as keyof Entities] = v;
    }
    const start = timeOf(o.start, `${where}.start`, file);
    const end = timeOf(o.end, `${where}.end`, file);
    if (end < start) throw new ConfigError(`labels: ${file}: ${where} ends before it starts`, { expected: 'end ≥ start', seen: `${String(o.start)} → ${String(o.end)}` });
    return { ...(typeof o.id === 'string' ? { id: o.id } : {}), kind: kindOf(o.kind, `${where}.kind`, file), start, end, entities };
  });
}

/**
 * Windows of lines labelled inline (NDJSON `label`, a label column, fail2ban's `# failJSON`), a gap of more than
 * `gapMs` between labelled lines splitting them. A label that is an incident kind is taken as one; any other (a
 * corpus's own tag: BGL's `KERNDTLB`, fail2ban's match) is of `labelKind`, which the drill must then name.
 */
export function inlineLabelWindows(lines: readonly (RecordedLine & { time: number; label?: string })[], opts: { gapMs?: number; labelKind?: IncidentKind; file?: string } = {}): LabelWindow[] {
  const gapMs = opts.gapMs ?? 60_000;
  const file = opts.file ?? 'recording';
  const out: LabelWindow[] = [];
  const open = new Map<IncidentKind, LabelWindow>();
  for (const l of lines) {
    if (!l.label) continue;
    const where = l.line !== undefined ? `line ${l.line}` : `the line at ${new Date(l.time).toISOString()}`;
    if (!KINDS.has(l.label) && !opts.labelKind) {
      const guess = closest(l.label, [...KINDS]);
      throw new ConfigError(`labels: ${file}: ${where} is labelled \`${l.label}\`, which names no incident kind`, {
        expected: `an incident kind as the label (${[...KINDS].slice(0, 4).join(', ')}, …), or \`replay.labelKind\` saying what the recording's alert labels are`,
        seen: JSON.stringify(l.label),
        fix: `${guess ? `did you mean \`${guess}\`? Or ` : ''}set \`labelKind: <incident kind>\` in the replay (e.g. \`ec2-ssh-bruteforce\` for fail2ban's sshd log)`,
      });
    }
    const kind = KINDS.has(l.label) ? (l.label as IncidentKind) : opts.labelKind!;
    const w = open.get(kind);
    if (w && l.time - w.end <= gapMs) w.end = l.time;
    else {
      const nw = { kind, start: l.time, end: l.time, entities: {} };
      out.push(nw);
      open.set(kind, nw);
    }
  }
  return out;
}
