import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NormalizedRecord } from '../../formats/index.ts';
import { formats } from '../../formats/registry.ts';
import { FAIL2BAN_LABEL, splitInlineLabels } from '../../scenarios/index.ts';
import { windowOf, type Corpus } from './corpus.ts';

/**
 * fail2ban's filter test corpus: real-world log lines collected by the fail2ban project, each line labelled by
 * the `# failJSON: {"time": …, "match": true|false}` comment above it (a line without one must not match). It is
 * GPL-2.0-or-later, so it is never committed: it is fetched at evaluation time from Debian's `fail2ban` package
 * (`apt-get download`, unpacked with `dpkg-deb -x` into the system's temp folder) and read from there.
 *
 * Used: `sshd` (OpenSSH auth lines, the shape of an EC2 host's secure log), on the corpus's own clock — one-minute
 * windows by each line's labelled time; a window is anomalous when it holds a line labelled `match: true`.
 */
export const FAIL2BAN_DIR = join(tmpdir(), 'firedrill-external', 'fail2ban');
const LOGS = 'usr/lib/python3/dist-packages/fail2ban/tests/files/logs';

/** The unpacked logs folder, fetching the Debian package once; throws with the reason when it cannot. */
export function fetchFail2ban(): string {
  const logs = join(FAIL2BAN_DIR, 'root', LOGS);
  if (existsSync(join(logs, 'sshd'))) return logs;
  mkdirSync(FAIL2BAN_DIR, { recursive: true });
  execFileSync('apt-get', ['download', 'fail2ban'], { cwd: FAIL2BAN_DIR, stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 });
  const deb = readdirSync(FAIL2BAN_DIR).find((f) => f.startsWith('fail2ban_') && f.endsWith('.deb'));
  if (!deb) throw new Error(`apt-get download fail2ban left no .deb in ${FAIL2BAN_DIR}`);
  execFileSync('dpkg-deb', ['-x', join(FAIL2BAN_DIR, deb), join(FAIL2BAN_DIR, 'root')], { timeout: 60_000 });
  if (!existsSync(join(logs, 'sshd'))) throw new Error(`the fail2ban package has no ${LOGS}/sshd`);
  return logs;
}

const SYSLOG = /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2})/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function fail2banSshdCorpus(logsDir: string): Corpus {
  const file = join(logsDir, 'sshd');
  const numbered = readFileSync(file, 'utf8').split('\n').map((l, i) => [l.trimEnd(), i + 1] as const).filter(([l]) => l !== '');
  const records: NormalizedRecord[] = [];
  const anomalous = new Set<number>();
  const windows = new Set<number>();
  let lastTime = Date.UTC(2005, 0, 1);
  let n = 0;
  // The same reader a drill's replay uses: the `# failJSON:` comments are cut here, and only the label goes on.
  for (const l of splitInlineLabels(file, numbered.map(([x]) => x), numbered.map(([, i]) => i), { labelColumn: false })) {
    const line = l.message;
    // The label's time has the year (syslog lines have none); else the line's own stamp in the last year seen.
    let t = l.labelTime ?? NaN;
    if (!Number.isFinite(t)) {
      const m = SYSLOG.exec(line);
      const year = new Date(lastTime).getUTCFullYear();
      t = m ? Date.UTC(year, MONTHS.indexOf(m[1]!), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])) : lastTime + 1000;
    }
    lastTime = t;
    const origin = { logGroup: '/fail2ban/ec2/secure', logStream: 'i-0fa12ba2000000001', timestamp: t };
    let rec: NormalizedRecord;
    try {
      const x = formats.ec2!.normalize(formats.ec2!.parse(line, origin), origin);
      rec = { id: `f2b-${n++}`, source: 'ec2', time: t, logGroup: origin.logGroup, logStream: origin.logStream, entities: x.entities, fields: x.fields, message: line };
    } catch {
      rec = { id: `f2b-${n++}`, source: 'ec2', time: t, logGroup: origin.logGroup, logStream: origin.logStream, entities: { instance: origin.logStream }, fields: { shape: 'generic', text: line }, message: line };
    }
    records.push(rec);
    windows.add(windowOf(t));
    if (l.label === FAIL2BAN_LABEL) anomalous.add(windowOf(t));
  }
  records.sort((a, b) => a.time - b.time);
  return { id: 'fail2ban-sshd', origin: "fail2ban's labelled sshd test lines (GPL-2.0+, fetched from Debian at run time)", records, anomalous, topology: { dependencies: [] } };
}
