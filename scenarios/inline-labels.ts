import { ConfigError } from '../core/index.ts';

/**
 * Labels written in a raw log file, as public labelled log corpora carry them. Two shapes:
 *
 * - **fail2ban's filter test logs**: a `# failJSON: { "time": "2005-06-07T01:10:56", "match": true, … }` comment
 *   labels the line after it (`match: true` an attack line, `false` an ordinary one; a line without a comment is
 *   ordinary). Recognised by the comments themselves; in such a file every `#` line is a comment (fail2ban's
 *   `# filterOptions:` and notes) and is not replayed. A `constraint` (the filter mode a label holds for) is not
 *   evaluated: `match: true` under any mode labels the line. The comment's `time` is the line's time when the line
 *   states none of its own.
 * - **a label column** (Loghub's BGL and Thunderbird: `- 1117838570 2005.06.03 R02-M1-N0 … RAS KERNEL INFO …` is
 *   ordinary, `KERNDTLB 1118536327 …` an alert of that category): the first token of every line, `-` for none.
 *   Only when the drill says so (`labelColumn: true`): a first token is otherwise part of the line.
 *
 * Either way the label is cut from what is replayed — the comment is dropped, the column token removed — so it
 * never reaches the pipeline under test; it goes only to the truth manifest (replay-labels.ts).
 */
export interface LabelledLine {
  /** What is replayed: the line without its label. */
  message: string;
  /** The alert's label (a column's tag, `failJSON` for a fail2ban match); absent: an ordinary line. */
  label?: string;
  /** The time the label states (fail2ban's `time`, read as UTC), for a line that states none itself. */
  labelTime?: number;
  /** 1-based line in the file, for messages. */
  line: number;
}

export const FAIL2BAN_LABEL = 'failJSON';
const FAIL_JSON = /^#\s*failJSON:\s*(.*)$/;

/** Whether raw lines carry fail2ban's `# failJSON:` labels. */
export const hasFail2banLabels = (lines: readonly string[]): boolean => lines.some((l) => FAIL_JSON.test(l));

/**
 * Splits raw lines into what is replayed and its labels. `lines` are the file's non-empty lines, `numbers` their
 * 1-based line numbers. Lines without a label shape come back unchanged.
 */
export function splitInlineLabels(file: string, lines: readonly string[], numbers: readonly number[], opts: { labelColumn: boolean }): LabelledLine[] {
  const fail2ban = hasFail2banLabels(lines);
  if (fail2ban && opts.labelColumn) {
    throw new ConfigError(`replay: ${file} carries fail2ban's \`# failJSON:\` labels, and the drill also says its lines start with a label column`, {
      expected: 'one label shape per recording',
      seen: 'labelColumn: true on a fail2ban test log',
      fix: 'drop `labelColumn: true`: the `# failJSON:` comments are the labels',
    });
  }
  const out: LabelledLine[] = [];
  let pending: { match: boolean; time?: number; line: number } | undefined;
  for (const [i, raw] of lines.entries()) {
    const line = numbers[i] ?? i + 1;
    if (fail2ban) {
      const m = FAIL_JSON.exec(raw.trim());
      if (m) {
        pending = { ...readFailJson(file, m[1]!, line), line };
        continue;
      }
      if (raw.trimStart().startsWith('#')) continue;
      const label = pending;
      pending = undefined;
      out.push({ message: raw, line, ...(label?.match ? { label: FAIL2BAN_LABEL } : {}), ...(label?.time !== undefined ? { labelTime: label.time } : {}) });
      continue;
    }
    if (opts.labelColumn) {
      const m = /^(\S+)\s+(\S.*)$/.exec(raw);
      if (!m) {
        throw new ConfigError(`replay: ${file} line ${line} has no label column`, {
          expected: 'a label token, then the log line (`- <line>` for an ordinary line, `<tag> <line>` for an alert), as the drill sets `labelColumn: true`',
          seen: JSON.stringify(raw.slice(0, 80)),
          fix: 'give every line its label, or drop `labelColumn: true` if the file has no label column',
        });
      }
      out.push({ message: m[2]!, line, ...(m[1] !== '-' ? { label: m[1]! } : {}) });
      continue;
    }
    out.push({ message: raw, line });
  }
  return out;
}

function readFailJson(file: string, json: string, line: number): { match: boolean; time?: number } {
  let o: unknown;
  try {
    o = JSON.parse(json);
  } catch (err) {
    throw new ConfigError(`replay: ${file} line ${line}: a \`# failJSON:\` label that is not JSON`, {
      expected: '`# failJSON: { "time": "<ISO time>", "match": true|false }`, as fail2ban writes them',
      seen: json.slice(0, 80),
      fix: 'repair the comment, or remove it to replay the next line unlabelled',
      cause: err,
    });
  }
  const r = (o ?? {}) as { match?: unknown; time?: unknown };
  if (typeof r.match !== 'boolean') {
    throw new ConfigError(`replay: ${file} line ${line}: a \`# failJSON:\` label without \`match\``, {
      expected: '`"match": true` (the next line is an attack) or `"match": false`',
      seen: json.slice(0, 80),
    });
  }
  // fail2ban's times are local to the test run; read without a zone as UTC (only differences between lines matter).
  const t = typeof r.time === 'string' ? Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(r.time) ? r.time : `${r.time}Z`) : Number.NaN;
  return { match: r.match, ...(Number.isFinite(t) ? { time: t } : {}) };
}
