import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of firedrill's own package.json above `from` (default: this file): the repository when run from the
 * sources, the installed package when run from its build (`dist/` is one level further down). Files that belong
 * to the package rather than to a build (the moto `.venv`) live there.
 */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): { dir: string; version: string } {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'firedrill') return { dir, version: pkg.version ?? 'unknown' };
    } catch {
      // No package.json here: look one level up.
    }
    if (dirname(dir) === dir) throw new Error(`no package.json of firedrill above ${from}`);
  }
}
