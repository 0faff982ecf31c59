import type { SourceName } from '../core/vocabulary.ts';
import type { FormatSpec } from './types.ts';

/**
 * Every source's wire format, one line each. `unknown` records because each source has its own record
 * type; callers that need the precise type import the source's module. Partial until all have landed.
 */
export const formats: Partial<Record<SourceName, FormatSpec<unknown>>> = {
};
