/**
 * `npm run eval:external`: the detector over data the team did not generate with firedrill's generators —
 * corpora written from the seeds' own descriptions (seeds/003 WAF value sets and modes, seeds/004's three lines
 * in its own groups, seeds/002's line format), and a public labelled corpus fetched at run time (fail2ban's
 * labelled sshd lines from Debian's package; never committed). Window-level (one minute) precision, recall and
 * F1 per corpus, beside two trivial baselines measured in the same run: a keyword grep (FATAL, ERROR, FAILURE)
 * and "flag any never-seen value". A last row, "every window", flags them all: not a method but the corpus's
 * prevalence, the F1 a detector gets for saying yes to everything (high where most windows are labelled anomalous).
 * Prints figures; asserts nothing.
 */
import type { Corpus } from './external/corpus.ts';
import { byWindow, detectorFlags, grepFlags, neverSeenFlags, score, type Flagged, type Score } from './external/window-methods.ts';
import { seed002Corpus, seed003Corpus, seed004Corpus } from './external/seed-corpora.ts';
import { fail2banSshdCorpus, fetchFail2ban } from './external/fail2ban.ts';

const corpora: Corpus[] = [seed003Corpus(), seed004Corpus(), seed002Corpus()];
const unavailable: string[] = [];
try {
  corpora.push(fail2banSshdCorpus(fetchFail2ban()));
} catch (e) {
  unavailable.push(`fail2ban-sshd: not fetched (${(e as Error).message.split('\n')[0]})`);
}

const f = (x: number) => x.toFixed(3);
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
console.log('window-level (1 min) detection on external corpora\n');
console.log(row(['corpus', 'windows', 'anomalous', 'method', 'precision', 'recall', 'F1', 'TP', 'FP', 'FN']));
console.log(row(Array(10).fill('---')));
const verdicts: string[] = [];
for (const c of corpora) {
  const windows = byWindow(c.records).length;
  const t0 = performance.now();
  const methods: [string, Score][] = [
    ['detector', score(detectorFlags(c), c.anomalous)],
    ['keyword grep', score(grepFlags(c), c.anomalous)],
    ['never-seen value', score(neverSeenFlags(c), c.anomalous)],
  ];
  const every: Flagged = new Set(byWindow(c.records).map(([w]) => w));
  process.stderr.write(`${c.id}: ${c.records.length} records, ${windows} windows, ${((performance.now() - t0) / 1000).toFixed(1)} s (${c.origin})\n`);
  for (const [name, s] of [...methods, ['every window (prevalence)', score(every, c.anomalous)] as const]) {
    console.log(row([c.id, windows, c.anomalous.size, name, f(s.precision), f(s.recall), f(s.f1), s.tp, s.fp, s.fn]));
  }
  const [d, g, n] = methods.map(([, s]) => s.f1) as [number, number, number];
  verdicts.push(`${c.id}: detector F1 ${f(d)} vs grep ${f(g)}, never-seen ${f(n)} — ${d > g && d > n ? 'beats both' : 'does NOT beat both'}`);
}
console.log(`\n${verdicts.join('\n')}`);
for (const u of unavailable) console.log(u);
