import type { Readable } from 'node:stream';

/** Calls `onLine` for every complete line a stream writes (a last unterminated line at its end too). */
export function forEachLine(stream: Readable, onLine: (line: string) => void): void {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop()!;
    for (const p of parts) onLine(p.endsWith('\r') ? p.slice(0, -1) : p);
  });
  stream.on('end', () => {
    if (rest) onLine(rest);
    rest = '';
  });
}
