import { ConfigError } from '../errors.ts';
import { defaultTopology } from './default-topology.ts';
import type { EstateDeclaration } from './estate-declaration.ts';
import type { Topology } from './types.ts';

/**
 * The topology a deployed handler runs on: the estate declaration in FIREDRILL_ESTATE (JSON, as the harness or the
 * infrastructure hands it over: names, log groups, source map, dependencies), with FIREDRILL_PREFIX and AWS_REGION
 * where it does not say. The handlers read no YAML: the declaration arrives already checked.
 */
export function topologyFromEnv(env: NodeJS.ProcessEnv = process.env): Topology {
  let decl: EstateDeclaration = {};
  if (env.FIREDRILL_ESTATE) {
    try {
      decl = JSON.parse(env.FIREDRILL_ESTATE) as EstateDeclaration;
    } catch (err) {
      throw new ConfigError('FIREDRILL_ESTATE is not JSON', { expected: 'the estate declaration as JSON (names, logGroups, sourceMap, dependencies)', seen: env.FIREDRILL_ESTATE.slice(0, 80), fix: 'set it from the topology\'s `declaration` (JSON.stringify)', cause: err });
    }
    if (typeof decl !== 'object' || decl === null || Array.isArray(decl)) {
      throw new ConfigError('FIREDRILL_ESTATE is not an estate declaration', { expected: 'a JSON object', seen: env.FIREDRILL_ESTATE.slice(0, 80) });
    }
  }
  return defaultTopology({ ...(env.FIREDRILL_PREFIX ? { prefix: env.FIREDRILL_PREFIX } : {}), ...decl });
}

/** The environment a handler needs to rebuild `topology` (topologyFromEnv's inverse). */
export function topologyEnv(topology: Topology): Record<string, string> {
  return { FIREDRILL_PREFIX: topology.prefix, ...(topology.declaration ? { FIREDRILL_ESTATE: JSON.stringify(topology.declaration) } : {}) };
}
