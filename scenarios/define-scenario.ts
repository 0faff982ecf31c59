import type { ScenarioInput } from './schema/scenario-schema.ts';

/**
 * Identity helper for drills written in TypeScript: the editor checks and completes the object; run it
 * through `validateScenario` (or compile) to apply defaults and the cross-field rules.
 */
export function defineScenario<const T extends ScenarioInput>(scenario: T): T {
  return scenario;
}
