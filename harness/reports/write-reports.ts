import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DrillScorecard } from '../evaluate/types.ts';
import { toHtml } from './html.ts';
import { toJUnit } from './junit.ts';
import { toIndexHtml, type KeptRun } from './runs-index.ts';

export interface ReportPaths {
  json: string;
  junit: string;
  html: string;
  /** index.html over every run kept in the directory. */
  index: string;
  /** This run's own folder under runs/ (its scorecard.json and report.html, kept for comparison). */
  run: string;
}

/** A folder name from the run's time: sortable, and legal on every file system (no colons). */
function runId(at: Date): string {
  return at.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
}

/** Reads back every runs/<id>/scorecard.json; a folder without a readable one is named, not fatal. */
async function keptRuns(runsDir: string): Promise<{ runs: KeptRun[]; unreadable: string[] }> {
  const runs: KeptRun[] = [];
  const unreadable: string[] = [];
  for (const entry of await readdir(runsDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    try {
      const doc = JSON.parse(await readFile(join(runsDir, entry.name, 'scorecard.json'), 'utf8')) as { generatedAt?: string; drills?: DrillScorecard[] };
      const at = Date.parse(doc.generatedAt ?? '');
      if (!Array.isArray(doc.drills) || Number.isNaN(at)) throw new Error('no drills or generatedAt');
      runs.push({ id: entry.name, generatedAt: at, drills: doc.drills });
    } catch {
      unreadable.push(entry.name);
    }
  }
  return { runs, unreadable };
}

/**
 * Writes scorecard.json, junit.xml and report.html into `dir` (the latest run, where CI looks), keeps a copy
 * of this run's scorecard and report under runs/<time>/, and rewrites index.html over all kept runs so runs can
 * be compared. Returns absolute paths.
 */
export async function writeReports(cards: DrillScorecard[], dir: string, generatedAt = new Date()): Promise<ReportPaths> {
  const abs = resolve(dir);
  const runsDir = join(abs, 'runs');
  let id = runId(generatedAt);
  for (let n = 2; existsSync(join(runsDir, id)); n++) id = `${runId(generatedAt)}-${n}`;
  const run = join(runsDir, id);
  await mkdir(run, { recursive: true });
  const paths: ReportPaths = { json: join(abs, 'scorecard.json'), junit: join(abs, 'junit.xml'), html: join(abs, 'report.html'), index: join(abs, 'index.html'), run };
  const passed = cards.every((c) => c.passed);
  const json = `${JSON.stringify({ passed, generatedAt: generatedAt.toISOString(), drills: cards }, null, 2)}\n`;
  await writeFile(paths.json, json);
  await writeFile(join(run, 'scorecard.json'), json);
  await writeFile(paths.junit, toJUnit(cards));
  await writeFile(paths.html, toHtml(cards, generatedAt));
  await writeFile(join(run, 'report.html'), toHtml(cards, generatedAt, '../../index.html'));
  const { runs, unreadable } = await keptRuns(runsDir);
  await writeFile(paths.index, toIndexHtml(runs, unreadable));
  return paths;
}
