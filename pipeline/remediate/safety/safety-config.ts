import { ConfigError } from '../../../core/index.ts';

/** How cautious remediation is. Defaults are the safe ones: only what is explicitly allowed acts. */
export interface SafetyConfig {
  /** `dry-run` plans and audits, and changes nothing. */
  mode: 'live' | 'dry-run';
  /** `aws` requires the account to be in accountAllowlist (checked with STS GetCallerIdentity). */
  target: 'emulator' | 'aws';
  accountAllowlist: string[];
  /** Circuit breaker: at most this many actions per resource within breakerWindowMs. */
  maxActionsPerResource: number;
  breakerWindowMs: number;
  /** Only resources carrying this tag are acted on. */
  managedTag: { key: string; value: string };
  /** A symptom is covered by a remediated dependency when that remediation started within this span. */
  cascadeWindowMs: number;
}

export const DEFAULT_SAFETY: SafetyConfig = {
  mode: 'live',
  target: 'emulator',
  accountAllowlist: [],
  maxActionsPerResource: 2,
  breakerWindowMs: 60 * 60 * 1000,
  managedTag: { key: 'firedrill:managed', value: 'true' },
  cascadeWindowMs: 60 * 60 * 1000,
};

/**
 * Safety settings from the environment (and explicit overrides, e.g. CLI flags, which win):
 * FIREDRILL_DRY_RUN=1, FIREDRILL_TARGET=aws|emulator, FIREDRILL_AWS_ACCOUNT_ALLOWLIST=111122223333,444455556666,
 * FIREDRILL_MAX_ACTIONS_PER_RESOURCE_PER_HOUR=2.
 */
export function safetyConfigFromEnv(env: Record<string, string | undefined> = process.env, overrides: Partial<SafetyConfig> = {}): SafetyConfig {
  const cfg: SafetyConfig = { ...DEFAULT_SAFETY };
  const dry = env.FIREDRILL_DRY_RUN;
  if (dry !== undefined && dry !== '') {
    if (!/^(1|0|true|false|yes|no)$/i.test(dry)) {
      throw new ConfigError('FIREDRILL_DRY_RUN is not a boolean', { expected: '1, 0, true, false, yes or no', seen: JSON.stringify(dry), fix: 'set FIREDRILL_DRY_RUN=1 to plan without acting' });
    }
    cfg.mode = /^(1|true|yes)$/i.test(dry) ? 'dry-run' : 'live';
  }
  const target = env.FIREDRILL_TARGET;
  if (target !== undefined && target !== '') {
    if (target !== 'aws' && target !== 'emulator') {
      throw new ConfigError('FIREDRILL_TARGET is unknown', { expected: 'aws or emulator', seen: JSON.stringify(target), fix: 'use --target aws only for a real account in the allowlist' });
    }
    cfg.target = target;
  }
  const allow = env.FIREDRILL_AWS_ACCOUNT_ALLOWLIST;
  if (allow !== undefined && allow.trim() !== '') {
    const ids = allow.split(',').map((s) => s.trim()).filter(Boolean);
    const bad = ids.filter((id) => !/^\d{12}$/.test(id));
    if (bad.length > 0) {
      throw new ConfigError('FIREDRILL_AWS_ACCOUNT_ALLOWLIST has entries that are not account ids', {
        expected: 'comma-separated 12-digit AWS account ids',
        seen: bad.join(', '),
        fix: 'list the account ids remediation may act in, e.g. FIREDRILL_AWS_ACCOUNT_ALLOWLIST=111122223333',
      });
    }
    cfg.accountAllowlist = ids;
  }
  const max = env.FIREDRILL_MAX_ACTIONS_PER_RESOURCE_PER_HOUR;
  if (max !== undefined && max !== '') {
    const n = Number(max);
    if (!Number.isInteger(n) || n < 1) {
      throw new ConfigError('FIREDRILL_MAX_ACTIONS_PER_RESOURCE_PER_HOUR is not a positive integer', { expected: 'an integer ≥ 1', seen: JSON.stringify(max), fix: 'e.g. 2' });
    }
    cfg.maxActionsPerResource = n;
  }
  return { ...cfg, ...overrides };
}
