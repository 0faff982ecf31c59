import { readFile } from 'node:fs/promises';
import { systemClock } from '../core/index.ts';
import { ConfigError } from '../core/index.ts';
import { syntheticEstate } from '../core/topology/index.ts';
import { topologyOf } from './topology-of.ts';
import type { EstateIds } from '../core/topology/index.ts';
import { listCatalog, CATALOG_DIR, type CatalogEntry } from './catalog.ts';
import { compile } from './compile.ts';
import { formatIssue, ScenarioValidationError } from './errors.ts';
import { locateIssues, validateScenarioText, loadScenario } from './load-scenario.ts';
import { writePlanFiles, type WrittenPlan } from './write-plan.ts';

/**
 * What the `list`, `validate` and `generate --scenario` commands do, as functions that return text and
 * an exit code, so they are tested here and cli/commands/ stays a thin commander wrapper.
 */

export interface CommandOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** `firedrill list`: one line per drill, aligned. */
export function formatCatalog(entries: CatalogEntry[] = listCatalog(CATALOG_DIR)): string {
  const w = Math.max(...entries.map((e) => e.id.length), 2);
  const lines = entries.map((e) => {
    const kinds = e.incidents.length ? ` [${[...new Set(e.incidents.map((i) => i.kind))].join(', ')}]` : '';
    return `${e.id.padEnd(w)}  ${e.duration.padStart(3)}  ${e.description}${kinds}${e.issues.length ? '  (INVALID)' : ''}`;
  });
  return `${lines.join('\n')}\n`;
}

/**
 * `firedrill validate <file...>`: every file checked, every problem printed with file:line:column.
 * With `compile`, each valid drill is also compiled against a synthetic estate, which catches kinds
 * that have no registered generator yet.
 */
export async function validateFiles(files: string[], opts: { compile?: boolean; now?: number } = {}): Promise<CommandOutput> {
  let out = '';
  let err = '';
  let bad = 0;
  const now = opts.now ?? systemClock.now();
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      bad++;
      err += `${file}: cannot read: ${(e as Error).message}\n`;
      continue;
    }
    const r = validateScenarioText(text, { file, now });
    if (!r.ok) {
      bad++;
      err += `${r.issues.map(formatIssue).join('\n')}\n`;
      continue;
    }
    if (opts.compile) {
      try {
        const s = r.scenario;
        const topology = topologyOf(s);
        compile(s, syntheticEstate(topology), { now, file, topology, strict: true });
      } catch (e) {
        bad++;
        err += e instanceof ScenarioValidationError ? `${locateIssues(e.issues, text).map(formatIssue).join('\n')}\n` : `${file}: ${(e as Error).message}\n`;
        continue;
      }
    }
    const s = r.scenario;
    out += `ok  ${file} (${s.id}: ${s.duration}, ${s.incidents.length} incident${s.incidents.length === 1 ? '' : 's'})\n`;
  }
  if (bad) err += `${bad} of ${files.length} file${files.length === 1 ? '' : 's'} invalid\n`;
  return { code: bad ? 1 : 0, stdout: out, stderr: err };
}

export interface GenerateScenarioOptions {
  scenario: string;
  out: string;
  seed?: string;
  /** ISO time the default start is computed from (default: now). */
  now?: string;
  /** JSON file with bootstrapped EstateIds; default a synthetic estate of the scenario's topology. */
  estate?: string;
}

/** `firedrill generate --scenario <file> --out <dir>`: per-destination stream files, truth.ndjson, plan.json. */
export async function generateFromScenario(opts: GenerateScenarioOptions): Promise<WrittenPlan & { summary: string }> {
  const now = opts.now === undefined ? systemClock.now() : Date.parse(opts.now);
  if (Number.isNaN(now)) throw new ConfigError('generate: invalid --now', { expected: 'an ISO 8601 time such as 2026-11-21T10:00:00Z', seen: String(opts.now) });
  const scenario = await loadScenario(opts.scenario, { now });
  const topology = topologyOf(scenario);
  let estate: EstateIds;
  if (opts.estate) {
    try {
      estate = JSON.parse(await readFile(opts.estate, 'utf8')) as EstateIds;
    } catch (e) {
      throw new ConfigError(`generate: cannot read the estate file ${opts.estate}`, { expected: 'JSON of the EstateIds bootstrap returned', seen: (e as Error).message, fix: 'leave --estate out to use a synthetic estate', cause: e });
    }
  } else estate = syntheticEstate(topology);
  let plan;
  try {
    plan = compile(scenario, estate, { now, topology, file: opts.scenario, ...(opts.seed === undefined ? {} : { seed: opts.seed }) });
  } catch (e) {
    if (e instanceof ScenarioValidationError) throw new ScenarioValidationError(locateIssues(e.issues, await readFile(opts.scenario, 'utf8')));
    throw e;
  }
  const written = await writePlanFiles(plan, opts.out);
  const summary = [
    `scenario ${scenario.id}  seed ${plan.seed}  ${new Date(plan.window.start).toISOString()} → ${new Date(plan.window.end).toISOString()}`,
    ...written.streams.map((s) => `  ${String(s.events).padStart(8)}  ${s.source.padEnd(10)} ${s.file}`),
    `  ${String(written.events).padStart(8)}  events, ${written.truthEntries} in the truth manifest (truth.ndjson); plan in plan.json`,
  ].join('\n');
  return { ...written, summary };
}
