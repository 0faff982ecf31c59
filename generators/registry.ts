import type { IncidentKind, SourceName } from '../core/vocabulary.ts';
import type { BackgroundGenerator, IncidentGenerator } from './types.ts';

/**
 * Every source's normal behaviour and every incident mode, one line each. Partial until every source has
 * landed; the scenario compiler reports a missing entry by name.
 */
export const backgroundGenerators: Partial<Record<SourceName, BackgroundGenerator>> = {
};

export const incidentGenerators: Partial<Record<IncidentKind, IncidentGenerator>> = {
};
