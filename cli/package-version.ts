import { packageRoot } from '../core/package-root.ts';

/** The version in firedrill's package.json (the same from the sources and from a build). */
export function packageVersion(): string {
  try {
    return packageRoot().version;
  } catch {
    return 'unknown';
  }
}
