import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IncidentKind } from '../core/index.ts';
import type { ScenarioIssue } from './errors.ts';
import { validateScenarioText } from './load-scenario.ts';

/** The folder holding the shipped drills (this folder's *.yaml). */
export const CATALOG_DIR = fileURLToPath(new URL('.', import.meta.url));

export interface CatalogEntry {
  id: string;
  /** Absolute path of the YAML file. */
  file: string;
  title: string;
  description: string;
  duration: string;
  incidents: { id: string; kind: IncidentKind }[];
  /** The scenario's tags; `volume` marks production-volume drills (see VOLUME_TAG). */
  tags: string[];
  /** Problems, when the file does not validate (a catalog test keeps this empty). */
  issues: ScenarioIssue[];
}

/**
 * Production-volume drills (about a million events each) carry this tag: the CI suite's catalog loops and
 * `eval:detection` skip them by default; `npm run drill:volume` runs them.
 */
export const VOLUME_TAG = 'volume';

export const isVolumeDrill = (e: Pick<CatalogEntry, 'tags'>): boolean => e.tags.includes(VOLUME_TAG);

/** The drills of a folder, sorted by file name, each validated (without the `start` clock check). */
export function listCatalog(dir: string = CATALOG_DIR): CatalogEntry[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .map((name) => {
      const file = join(dir, name);
      const r = validateScenarioText(readFileSync(file, 'utf8'), { file, now: null });
      const id = name.replace(/\.ya?ml$/, '');
      if (!r.ok) return { id, file, title: id, description: '(invalid: run `firedrill validate`)', duration: '?', incidents: [], tags: [], issues: r.issues };
      const s = r.scenario;
      return { id: s.id, file, title: s.title, description: s.description, duration: s.duration, incidents: s.incidents.map((x) => ({ id: x.id, kind: x.kind })), tags: s.tags ?? [], issues: [] };
    });
}

/**
 * A scenario argument as a path: an existing file as given (resolved), else the catalog drill of that id
 * (`bad-day` → the shipped bad-day.yaml), so `firedrill run bad-day` works from any folder and from the package.
 * Anything else is returned resolved, for the loader to report as missing.
 */
export function resolveScenarioArg(arg: string, cwd: string = process.cwd()): string {
  const path = resolve(cwd, arg);
  if (existsSync(path)) return path;
  const id = basename(arg).replace(/\.ya?ml$/, '');
  const shipped = join(CATALOG_DIR, `${id}.yaml`);
  return existsSync(shipped) ? shipped : path;
}
