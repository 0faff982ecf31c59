/** Levenshtein distance, small inputs only (keys, enum values). */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/**
 * The candidate a typo most likely meant, or undefined when nothing is close: within a third of the
 * word's length (at least 2 edits), or a candidate that contains the word / is contained in it.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  if (best === undefined) return undefined;
  if (bestD <= Math.max(2, Math.floor(w.length / 3))) return best;
  const sub = candidates.filter((c) => w.length >= 3 && (c.includes(w) || w.includes(c)));
  return sub.length === 1 ? sub[0] : undefined;
}
