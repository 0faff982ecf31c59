import { z } from 'zod';

/**
 * Scalar shapes shared by the scenario schema. Durations, rates and times stay strings in the parsed
 * scenario (the compiler converts them), so the JSON Schema editors see is exactly what people type.
 * Each custom message is phrased as "what was expected" because the error formatter shows it that way.
 */

export const DURATION_RE = /^\d+(?:\.\d+)?(?:ms|s|m|h|d)$/;
export const RATE_RE = /^\d+(?:\.\d+)?(?:e\d+)?\s*\/\s*(?:s|m|h|d)$/;
export const ID_RE = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const PHASE_NAMES = ['warmup', 'fault', 'recovery'] as const;
export type PhaseName = (typeof PHASE_NAMES)[number];
/** `7m` (from the drill start) or `fault+1m` (from the start of a phase). */
export const TIME_OFFSET_RE = /^(?:(warmup|fault|recovery)\s*\+\s*)?(\d+(?:\.\d+)?(?:ms|s|m|h|d))$/;

export const duration = z
  .string({ error: 'a duration string such as 90s, 10m, 2h or 1d' })
  .regex(DURATION_RE, { error: 'a duration such as 90s, 10m, 2h or 1d (a number followed by ms, s, m, h or d)' })
  .meta({ description: 'A duration: a number followed by ms, s, m, h or d (e.g. 90s, 10m).' });

export const rate = z
  .string({ error: 'a rate string such as 300/m' })
  .regex(RATE_RE, { error: 'a rate such as 300/m, 5/s or 2000/h (events per unit of time)' })
  .meta({ description: 'Events per unit of time: <number>/<s|m|h|d>, e.g. 300/m.' });

export const id = z
  .string({ error: 'an id string' })
  .regex(ID_RE, { error: 'an id of lowercase letters, digits and dashes (at most 63 characters), starting with a letter or digit' })
  .meta({ description: 'Lowercase letters, digits and dashes.' });

export const timeOffset = z
  .string({ error: 'a time offset such as 7m or fault+1m' })
  .regex(TIME_OFFSET_RE, { error: 'an offset such as 7m (from the drill start) or fault+1m (from the start of a phase: warmup, fault or recovery)' })
  .meta({ description: 'When: `7m` from the drill start, or `<phase>+<duration>` from a phase start (e.g. `fault+1m`).' });
