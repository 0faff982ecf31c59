import type { Entities, EntityType, SourceName } from '../vocabulary.ts';
import type { Topology } from './types.ts';

/** What the estate says about one log group: its source, the shape of its lines, the entities of every line. */
export interface LogGroupRoute {
  source: SourceName;
  /** For the group's format (formats' `FormatHint`): absent when nothing is declared. */
  hint?: { shape?: string; fields?: readonly string[] };
  /** Declared entities (absent: the format reads them from the line and the group's AWS name). */
  entities?: Entities;
}

/** A glob on log group names: `**` any text, `*` any text without `/`, `?` one character; the rest literal. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      re += '(.*)';
      i++;
    } else if (c === '*') re += '([^/]*)';
    else if (c === '?') re += '([^/])';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function routeOf(source: SourceName, shape: string | undefined, fields: readonly string[] | undefined, entities: Entities | undefined): LogGroupRoute {
  const r: LogGroupRoute = { source };
  if ((shape && shape !== 'auto') || fields?.length) r.hint = { ...(shape ? { shape } : {}), ...(fields?.length ? { fields } : {}) };
  if (entities && Object.keys(entities).length) r.entities = entities;
  return r;
}

const routers = new WeakMap<Topology, (group: string) => LogGroupRoute | undefined>();

/**
 * The estate's answer for a log group: a declared group by its exact name, else the first source map entry whose
 * pattern matches (with `$n` in its entities replaced by what the wildcards matched), else undefined (an
 * undeclared group, quarantined by the normalizer). One router per topology, answers cached per group.
 */
export function logGroupRouter(topology: Topology): (group: string) => LogGroupRoute | undefined {
  let router = routers.get(topology);
  if (router) return router;
  const exact = new Map<string, LogGroupRoute>();
  for (const g of topology.pipeline.logGroups) if (!exact.has(g.name)) exact.set(g.name, routeOf(g.source, g.shape, g.fields, g.entities));
  const patterns = (topology.pipeline.sourceMap ?? []).map((r) => ({ re: globToRegExp(r.match), r }));
  const cache = new Map<string, LogGroupRoute | undefined>();
  router = (group) => {
    const hit = exact.get(group);
    if (hit) return hit;
    if (cache.has(group)) return cache.get(group);
    let found: LogGroupRoute | undefined;
    for (const { re, r } of patterns) {
      const m = re.exec(group);
      if (!m) continue;
      let entities: Entities | undefined;
      if (r.entities) {
        entities = {};
        for (const [k, v] of Object.entries(r.entities) as [EntityType, string][]) {
          const value = v.replace(/\$(\d)/g, (_s, n: string) => m[Number(n)] ?? '');
          if (value) entities[k] = value;
        }
      }
      found = routeOf(r.source, r.shape, r.fields, entities);
      break;
    }
    // Groups come from the data: a bounded cache, so a flood of distinct names cannot grow it without end.
    if (cache.size > 10_000) cache.clear();
    cache.set(group, found);
    return found;
  };
  routers.set(topology, router);
  return router;
}
