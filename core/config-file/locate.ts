import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export type PathSegment = string | number;

/** `incidents[2].kind` from ['incidents', 2, 'kind']. */
export function displayPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  return out;
}

export interface Located {
  line: number;
  column: number;
  /** How far down the path the document went (less than path.length when a key is missing). */
  depth: number;
}

/**
 * The position of `path` in a parsed YAML document: the value's node, or with `key` the key itself
 * (unknown keys are reported at the key). A missing key resolves to the nearest existing ancestor.
 */
export function locate(doc: Document, counter: LineCounter, path: readonly PathSegment[], opts: { key?: boolean } = {}): Located {
  let node: Node | null | undefined = doc.contents as Node | null;
  let offset = node?.range?.[0] ?? 0;
  let depth = 0;
  for (let i = 0; i < path.length && node; i++) {
    const seg = path[i];
    let next: Node | null | undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(seg));
      if (!pair) break;
      if (opts.key && i === path.length - 1 && isScalar(pair.key) && pair.key.range) {
        offset = pair.key.range[0];
        depth = i + 1;
        break;
      }
      next = pair.value as Node | null;
      // `key:` with no value: point at the key.
      if (!next && isScalar(pair.key) && pair.key.range) {
        offset = pair.key.range[0];
        depth = i + 1;
        break;
      }
    } else if (isSeq(node) && typeof seg === 'number') {
      next = node.items[seg] as Node | undefined;
    } else break;
    if (!next) break;
    node = next;
    depth = i + 1;
    if (node.range) offset = node.range[0];
  }
  const pos = counter.linePos(offset);
  return { line: pos.line, column: pos.col, depth };
}
