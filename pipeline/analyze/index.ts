/**
 * The analyzer stage of the reference pipeline: a finding's evidence (sample lines, masked templates, the RCA
 * chain, the entities) in, `{ explanation, category, suggestedAction, rootEntity, provider, model }` out. Offline
 * (deterministic, the default), Amazon Bedrock (Converse) or any OpenAI-compatible endpoint. See README.md.
 */
export { createOfflineAnalyzer, createModelAnalyzer, ModelCallError, type Analyzer, type ModelClient, type ModelReply, type ModelAnalyzerOptions } from './analyzer.ts';
export { analyzerSettingsFromEnv, ANALYZER_PROVIDERS, type AnalyzerSettings } from './analyzer-config.ts';
export { analyzeFindings, type AnalyzeFindingsOptions, type AnalyzeFindingsResult } from './analyze-findings.ts';
export { createBedrockClient, type BedrockOptions } from './bedrock-client.ts';
export { createOpenAiClient, chatCompletionsUrl, type OpenAiOptions } from './openai-client.ts';
export { buildEvidence, renderEvidence, DEFAULT_EVIDENCE_BUDGET, type AnalyzerEvidence, type EvidenceBudget } from './evidence.ts';
export { Redactor, redactSecrets, SECRET_KINDS, type SecretKind } from './redact.ts';
export { failureClassOf } from './failure-semantics.ts';
export { loadPrompts, renderPrompt, DEFAULT_PROMPTS_DIR, type PromptTemplates } from './prompt.ts';
export { parseModelAnswer, type ModelAnswer } from './model-answer.ts';
