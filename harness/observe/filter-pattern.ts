/**
 * CloudWatch Logs filter patterns for unstructured events, applied by firedrill as well as by the service: moto
 * 5.2 applies only a plain term list or one quoted phrase (and returns every event for anything else), so the
 * logs tap filters again what it gets back, and behaves alike on moto and on AWS for this subset:
 * `ERROR Exception` (every term), `?ERROR ?WARN` (any of them), `-DEBUG` (none of them), `"exact phrase"`, and a
 * standalone `%regex%`. Terms are case-sensitive, as AWS's. JSON (`{ $.level = "ERROR" }`) and space-delimited
 * (`[ip, user, ...]`) patterns are left to the service: on AWS they apply, on moto every event comes back.
 */
export type EventFilter = (message: string) => boolean;

/** A matcher for the pattern, or undefined when it is JSON or space-delimited (only the service can apply it). */
export function compileFilterPattern(pattern: string): EventFilter | undefined {
  const p = pattern.trim();
  if (p === '') return () => true;
  if (p.startsWith('{') || p.startsWith('[')) return undefined;
  if (p.length > 1 && p.startsWith('%') && p.endsWith('%')) {
    const re = new RegExp(p.slice(1, -1));
    return (m) => re.test(m);
  }
  const all: string[] = [];
  const any: string[] = [];
  const none: string[] = [];
  for (const raw of p.match(/[?-]?"(?:[^"\\]|\\.)*"|\S+/g) ?? []) {
    const op = raw[0] === '?' || raw[0] === '-' ? raw[0] : '';
    let term = op ? raw.slice(1) : raw;
    if (term.startsWith('"') && term.endsWith('"') && term.length >= 2) term = term.slice(1, -1).replace(/\\(.)/g, '$1');
    if (!term) continue;
    (op === '?' ? any : op === '-' ? none : all).push(term);
  }
  return (m) => all.every((t) => m.includes(t)) && (any.length === 0 || any.some((t) => m.includes(t))) && !none.some((t) => m.includes(t));
}

/**
 * Does moto 5.2 apply this pattern the way AWS does? It does for nothing, a list of plain terms (starting with a
 * letter), or one quoted phrase; other patterns it ignores (every event) or misreads (`ERROR -DEBUG` as two terms).
 */
export function motoAppliesPattern(pattern: string): boolean {
  const p = pattern.trim();
  if (p === '' || /^"[^"]*"$/.test(p)) return true;
  return /^[A-Za-z]/.test(p) && p.split(/\s+/).every((t) => !/^[?-]/.test(t) && !t.includes('"'));
}
