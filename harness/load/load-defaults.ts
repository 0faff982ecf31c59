// The defaults of `firedrill load`, apart from the settings parser so the CLI's help can show them without
// loading node-cron, the scenario compiler or the generators.

/** Every minute, like the cron job of seed 003. */
export const DEFAULT_SCHEDULE = '* * * * *';
/** Chance that a tick in `random` mode injects an incident. */
export const DEFAULT_PROBABILITY = 0.25;
