import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A full garbage collection, for unit tests that prove a structure lets go of what it no longer needs (a WeakRef
 * to it is cleared). Exposes V8's gc() to a fresh context without a command-line flag. Call it after an await: a
 * WeakRef made or read in the current job keeps its target until that job ends.
 */
export function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** How many of `refs` still reach their object after a full collection (one turn of the event loop first). */
export async function stillReachable(refs: readonly WeakRef<object>[]): Promise<number> {
  await new Promise((r) => setTimeout(r, 0));
  collectGarbage();
  return refs.filter((r) => r.deref() !== undefined).length;
}
