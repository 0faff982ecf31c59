import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Comparison } from './comparison.ts';
import { comparisonHtml, comparisonJUnit, comparisonMarkdown } from './render-comparison.ts';

export interface ComparisonPaths {
  json: string;
  junit: string;
  html: string;
  markdown: string;
}

/** compare.json, compare.junit.xml, compare.html and compare.md in `dir`. */
export async function writeComparison(c: Comparison, dir: string): Promise<ComparisonPaths> {
  await mkdir(dir, { recursive: true });
  const paths: ComparisonPaths = { json: join(dir, 'compare.json'), junit: join(dir, 'compare.junit.xml'), html: join(dir, 'compare.html'), markdown: join(dir, 'compare.md') };
  await writeFile(paths.json, `${JSON.stringify(c, null, 2)}\n`);
  await writeFile(paths.junit, comparisonJUnit(c));
  await writeFile(paths.html, comparisonHtml(c));
  await writeFile(paths.markdown, `${comparisonMarkdown(c)}\n`);
  return paths;
}
