import { FiredrillError } from '../../core/index.ts';
import type { AnalysisProvider, Finding, FindingAnalysis } from '../../core/index.ts';
import { buildEvidence, DEFAULT_EVIDENCE_BUDGET, type EvidenceBudget } from './evidence.ts';
import { parseModelAnswer } from './model-answer.ts';
import { analyzeEvidenceOffline } from './offline-analyzer.ts';
import { loadPrompts, renderPrompt, type PromptTemplates } from './prompt.ts';
import { Redactor } from './redact.ts';

/** The model endpoint refused or failed the call (HTTP error, network, throttling, a timeout). */
export class ModelCallError extends FiredrillError {}

/** Turns a finding into an analysis. May throw (a model endpoint down, a timeout): the caller keeps the finding. */
export interface Analyzer {
  readonly provider: AnalysisProvider;
  readonly model?: string;
  analyze(finding: Finding, signal?: AbortSignal): Promise<FindingAnalysis>;
}

/** One chat exchange with a model: system and user text in, the assistant's text out. */
export interface ModelClient {
  readonly provider: Exclude<AnalysisProvider, 'offline'>;
  readonly model: string;
  complete(request: { system: string; user: string; maxTokens: number }, signal?: AbortSignal): Promise<ModelReply>;
}

export interface ModelReply {
  text: string;
  /** Why the model stopped (`end_turn`, `stop`, `max_tokens`, `length` …), when it says. */
  stopReason?: string;
}

/** The deterministic analyzer: no network, the same analysis for the same evidence. */
export function createOfflineAnalyzer(budget: EvidenceBudget = DEFAULT_EVIDENCE_BUDGET): Analyzer {
  return {
    provider: 'offline',
    analyze: async (finding) => offlineAnalysis(finding, budget),
  };
}

function offlineAnalysis(finding: Finding, budget: EvidenceBudget, redactor = new Redactor()): FindingAnalysis {
  const a = analyzeEvidenceOffline(buildEvidence(finding, redactor, budget));
  return restoreIdentifiers({ ...a, provider: 'offline' }, redactor);
}

function restoreIdentifiers(a: FindingAnalysis, redactor: Redactor): FindingAnalysis {
  return {
    ...a,
    explanation: redactor.restore(a.explanation),
    suggestedAction: redactor.restore(a.suggestedAction),
    ...(a.rootEntity ? { rootEntity: redactor.restore(a.rootEntity) } : {}),
  };
}

export interface ModelAnalyzerOptions {
  budget?: EvidenceBudget;
  prompts?: PromptTemplates;
  /** Most tokens the model may answer with (default 600). */
  maxOutputTokens?: number;
}

/**
 * An analyzer backed by a model: the evidence is redacted and cut to the budget, put into the prompt files and
 * sent; the answer must be the JSON the prompt asks for. A malformed answer is not thrown away silently: the
 * offline analysis stands in, with the reason in `fallbackReason`. Identifiers the redactor replaced
 * (`[aws-access-key-id-1]`) are put back into the answer here, locally; secrets never come back.
 */
export function createModelAnalyzer(client: ModelClient, opts: ModelAnalyzerOptions = {}): Analyzer {
  const prompts = opts.prompts ?? loadPrompts();
  const budget = opts.budget ?? DEFAULT_EVIDENCE_BUDGET;
  const maxTokens = opts.maxOutputTokens ?? 600;
  return {
    provider: client.provider,
    model: client.model,
    analyze: async (finding, signal) => {
      const redactor = new Redactor();
      const ev = buildEvidence(finding, redactor, budget);
      const reply = await client.complete({ ...renderPrompt(prompts, ev), maxTokens }, signal);
      const parsed = parseModelAnswer(reply.text);
      if (!parsed.ok) {
        const stopped = reply.stopReason && /max_tokens|length/i.test(reply.stopReason) ? ` (the model stopped at its token limit: ${reply.stopReason})` : '';
        return { ...offlineAnalysis(finding, budget, redactor), fallbackReason: `${client.provider} ${client.model}: ${parsed.reason}${stopped}` };
      }
      return restoreIdentifiers({ ...parsed.answer, provider: client.provider, model: client.model }, redactor);
    },
  };
}
