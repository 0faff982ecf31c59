import type { SourceName } from '../../core/index.ts';
import { tokenIndex } from './entities.ts';

/**
 * Words that name a source's service in a root-cause chain written by someone else ("database connection pool
 * exhausted", "postgres: too many clients"). Kept distinct per source: a word shared by two would make a chain
 * that blames the wrong tier look right.
 */
const SERVICE_WORDS: Record<SourceName, readonly string[]> = {
  rds: ['rds', 'database', 'postgres', 'postgresql', 'mysql', 'aurora'],
  app: ['app', 'application'],
  ecs: ['ecs', 'container', 'containers', 'task', 'tasks'],
  ec2: ['ec2', 'instance', 'host'],
  lambda: ['lambda'],
  s3access: ['s3', 'bucket'],
  waf: ['waf'],
  vpcflow: ['vpc', 'eni'],
  cloudtrail: ['cloudtrail', 'iam'],
  eks: ['eks', 'kubernetes', 'k8s', 'kubelet', 'pod', 'pods'],
};

/**
 * Does a chain's head name the true root `<source>:<identifier>` (e.g. `rds:firedrill-orders-db`)? The first
 * word in it that names anything decides: the root's identifier or a service word of the root's source is
 * right; a service word of another source comes first in `app:checkout DB errors` and makes it wrong, even
 * when an identifier follows.
 */
export function namesRoot(head: string, expectedRoot: string): boolean {
  const colon = expectedRoot.indexOf(':');
  const source = (colon < 0 ? expectedRoot : expectedRoot.slice(0, colon)) as SourceName;
  const identifier = (colon < 0 ? '' : expectedRoot.slice(colon + 1)).toLowerCase();
  const text = head.toLowerCase();
  let best: { at: number; right: boolean } | undefined;
  const consider = (word: string, right: boolean) => {
    const at = tokenIndex(text, word);
    // At the same place the root's own name wins.
    if (at >= 0 && (!best || at < best.at || (at === best.at && right))) best = { at, right };
  };
  for (const [src, words] of Object.entries(SERVICE_WORDS)) for (const w of words) consider(w, src === source);
  if (identifier) consider(identifier, true);
  return best?.right ?? false;
}
