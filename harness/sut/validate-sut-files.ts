import { readFile } from 'node:fs/promises';
import { formatIssue } from '../../core/config-file/index.ts';
import { validateSutText } from './load-sut.ts';

/** Exit code of `firedrill sut validate` when a file is invalid (a configuration error, as everywhere). */
export const SUT_INVALID_EXIT = 2;

export interface SutValidateOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `firedrill sut validate <file...>`: every file checked, every problem printed as file:line:column with
 * expected / seen / fix. Exit 0 when all are valid, 2 when any is not.
 */
export async function validateSutFiles(files: readonly string[]): Promise<SutValidateOutput> {
  let out = '';
  let err = '';
  let bad = 0;
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      bad++;
      err += `${file}: cannot read: ${(e as Error).message}\n`;
      continue;
    }
    const r = validateSutText(text, { file });
    if (!r.ok) {
      bad++;
      err += `${r.issues.map(formatIssue).join('\n')}\n`;
      continue;
    }
    const d = r.sut.data;
    const n = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`;
    out += `ok  ${file} (${d.name}: ${d.mode}, ${n(d.handlers.length, 'handler')}, ${n(d.findings.length, 'tap')})\n`;
  }
  if (bad) err += `${bad} of ${files.length} file${files.length === 1 ? '' : 's'} invalid\n`;
  return { code: bad ? SUT_INVALID_EXIT : 0, stdout: out, stderr: err };
}
