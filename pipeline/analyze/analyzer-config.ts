import { ConfigError } from '../../core/index.ts';
import { createModelAnalyzer, createOfflineAnalyzer, type Analyzer } from './analyzer.ts';
import { createBedrockClient } from './bedrock-client.ts';
import { DEFAULT_EVIDENCE_BUDGET } from './evidence.ts';
import { createOpenAiClient } from './openai-client.ts';
import { loadPrompts } from './prompt.ts';

export const ANALYZER_PROVIDERS = ['offline', 'bedrock', 'openai'] as const;

/** How the detector runs its analyzer: which one, and the bounds that keep a slow model from holding it up. */
export interface AnalyzerSettings {
  analyzer: Analyzer;
  /** Most analyses one detector invocation asks for (default 10); the rest wait for a later invocation. */
  maxPerRun: number;
  /** Per analysis (default 20 s): past it the call is abandoned and the finding kept without analysis. */
  timeoutMs: number;
}

function int(env: NodeJS.ProcessEnv, name: string, dflt: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`${name} is not a whole number ≥ ${min}`, { expected: `an integer ≥ ${min} (default ${dflt})`, seen: JSON.stringify(raw), fix: `set ${name}=${dflt} or unset it` });
  return n;
}

function required(env: NodeJS.ProcessEnv, name: string, provider: string, example: string): string {
  const v = env[name];
  if (!v) throw new ConfigError(`FIREDRILL_ANALYZER=${provider} needs ${name}`, { expected: `${name}, e.g. ${example}`, seen: 'unset', fix: `set ${name}, or unset FIREDRILL_ANALYZER for the offline analyzer` });
  return v;
}

/**
 * The analyzer from the environment. FIREDRILL_ANALYZER = offline (default: deterministic, no network) |
 * bedrock (FIREDRILL_ANALYZER_MODEL = a Bedrock model id; FIREDRILL_ANALYZER_REGION, default AWS_REGION;
 * FIREDRILL_ANALYZER_ENDPOINT optional) | openai (FIREDRILL_ANALYZER_BASE_URL and FIREDRILL_ANALYZER_MODEL;
 * FIREDRILL_ANALYZER_API_KEY optional; FIREDRILL_ANALYZER_JSON_MODE=0 for servers that refuse response_format).
 * For all: FIREDRILL_ANALYZER_BUDGET_CHARS (evidence budget, default 6000 ≈ 1500 tokens),
 * FIREDRILL_ANALYZER_MAX_OUTPUT_TOKENS (600), FIREDRILL_ANALYZER_MAX_PER_RUN (10), FIREDRILL_ANALYZER_TIMEOUT_MS
 * (20000), FIREDRILL_ANALYZER_PROMPTS (a directory with system.md and finding.md).
 */
export function analyzerSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): AnalyzerSettings {
  const which = env.FIREDRILL_ANALYZER || 'offline';
  if (!(ANALYZER_PROVIDERS as readonly string[]).includes(which)) {
    throw new ConfigError('FIREDRILL_ANALYZER names no analyzer', { expected: ANALYZER_PROVIDERS.join(' | '), seen: JSON.stringify(which), fix: 'unset it for the offline analyzer, or pick one of the expected values' });
  }
  const budget = { maxChars: int(env, 'FIREDRILL_ANALYZER_BUDGET_CHARS', DEFAULT_EVIDENCE_BUDGET.maxChars, 200) };
  const maxPerRun = int(env, 'FIREDRILL_ANALYZER_MAX_PER_RUN', 10, 0);
  const timeoutMs = int(env, 'FIREDRILL_ANALYZER_TIMEOUT_MS', 20_000, 1);
  if (which === 'offline') return { analyzer: createOfflineAnalyzer(budget), maxPerRun, timeoutMs };
  const prompts = loadPrompts(env.FIREDRILL_ANALYZER_PROMPTS || undefined);
  const maxOutputTokens = int(env, 'FIREDRILL_ANALYZER_MAX_OUTPUT_TOKENS', 600, 16);
  const client =
    which === 'bedrock'
      ? createBedrockClient({
          modelId: required(env, 'FIREDRILL_ANALYZER_MODEL', which, 'anthropic.claude-3-haiku-20240307-v1:0'),
          ...(env.FIREDRILL_ANALYZER_REGION || env.AWS_REGION ? { region: env.FIREDRILL_ANALYZER_REGION || env.AWS_REGION } : {}),
          ...(env.FIREDRILL_ANALYZER_ENDPOINT ? { endpoint: env.FIREDRILL_ANALYZER_ENDPOINT } : {}),
        })
      : createOpenAiClient({
          baseUrl: required(env, 'FIREDRILL_ANALYZER_BASE_URL', which, 'http://localhost:11434/v1'),
          model: required(env, 'FIREDRILL_ANALYZER_MODEL', which, 'llama3.1:8b'),
          ...(env.FIREDRILL_ANALYZER_API_KEY ? { apiKey: env.FIREDRILL_ANALYZER_API_KEY } : {}),
          jsonMode: env.FIREDRILL_ANALYZER_JSON_MODE !== '0',
        });
  return { analyzer: createModelAnalyzer(client, { budget, prompts, maxOutputTokens }), maxPerRun, timeoutMs };
}
