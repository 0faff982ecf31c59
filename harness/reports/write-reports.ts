import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { DrillScorecard } from '../evaluate/types.ts';
import { toHtml } from './html.ts';
import { toJUnit } from './junit.ts';

export interface ReportPaths {
  json: string;
  junit: string;
  html: string;
}

/** Writes scorecard.json, junit.xml and report.html into `dir` and returns their absolute paths. */
export async function writeReports(cards: DrillScorecard[], dir: string): Promise<ReportPaths> {
  const abs = resolve(dir);
  await mkdir(abs, { recursive: true });
  const paths = { json: join(abs, 'scorecard.json'), junit: join(abs, 'junit.xml'), html: join(abs, 'report.html') };
  const passed = cards.every((c) => c.passed);
  await writeFile(paths.json, `${JSON.stringify({ passed, drills: cards }, null, 2)}\n`);
  await writeFile(paths.junit, toJUnit(cards));
  await writeFile(paths.html, toHtml(cards));
  return paths;
}
