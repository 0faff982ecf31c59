import { describe, expect, it } from 'vitest';
import { createModelAnalyzer, ModelCallError } from './analyzer.ts';
import { chatCompletionsUrl, createOpenAiClient } from './openai-client.ts';
import { loadExchange, replayFetch, type SentRequest } from './recorded-exchange.ts';
import { cascadeFinding, leakedKeyFinding } from './test-findings.ts';

function clientFor(name: string, sent: SentRequest[], opts: { apiKey?: string; jsonMode?: boolean } = {}) {
  const x = loadExchange(name);
  return { x, model: createOpenAiClient({ baseUrl: 'http://localhost:11434', model: 'llama3.1:8b', fetch: replayFetch(x, sent), ...opts }) };
}

describe('OpenAI-compatible adapter (recorded exchanges)', () => {
  it('chatCompletionsUrl takes a base URL with or without /v1', () => {
    expect(chatCompletionsUrl('http://localhost:11434')).toBe('http://localhost:11434/v1/chat/completions');
    expect(chatCompletionsUrl('http://localhost:8000/v1/')).toBe('http://localhost:8000/v1/chat/completions');
  });

  it('posts system + user messages in JSON mode at temperature 0; a fenced JSON answer is read', async () => {
    const sent: SentRequest[] = [];
    const { x, model } = clientFor('openai-ollama-ok.json', sent);
    const a = await createModelAnalyzer(model).analyze(cascadeFinding());
    expect(sent[0]!.path).toBe(x.request.path);
    expect(sent[0]!.headers.authorization).toBeUndefined();
    expect(sent[0]!.body).toMatchObject({ model: 'llama3.1:8b', temperature: 0, max_tokens: 600, response_format: { type: 'json_object' } });
    const msgs = sent[0]!.body.messages as { role: string; content: string }[];
    expect(msgs.map((m) => m.role)).toEqual(['system', 'user']);
    expect(a).toMatchObject({ provider: 'openai', model: 'llama3.1:8b', category: 'connection-exhaustion', rootEntity: 'ledger-db' });
  });

  it('sends the API key as a bearer token, leaves response_format out when asked, and sends no secret of the evidence', async () => {
    const sent: SentRequest[] = [];
    const { model } = clientFor('openai-ollama-ok.json', sent, { apiKey: 'sk-test', jsonMode: false });
    await createModelAnalyzer(model).analyze(leakedKeyFinding());
    expect(sent[0]!.headers.authorization).toBe('Bearer sk-test');
    expect(sent[0]!.body.response_format).toBeUndefined();
    const wire = JSON.stringify(sent[0]!.body);
    expect(wire).not.toContain('hunter22');
    expect(wire).not.toContain('AKIAIOSFODNN7EXAMPLE');
  });

  it('prose instead of JSON: the offline analysis stands in, with the reason', async () => {
    const { model } = clientFor('openai-ollama-prose.json', []);
    const a = await createModelAnalyzer(model).analyze(cascadeFinding());
    expect(a.provider).toBe('offline');
    expect(a.fallbackReason).toMatch(/^openai llama3\.1:8b: the answer is not JSON/);
  });

  it('a class outside the vocabulary is refused, not passed on', async () => {
    const { model } = clientFor('openai-vllm-unknown-class.json', []);
    const a = await createModelAnalyzer(model).analyze(cascadeFinding());
    expect(a.provider).toBe('offline');
    expect(a.fallbackReason).toMatch(/category/);
  });

  it('an HTTP error is a ModelCallError carrying the server\'s own message', async () => {
    const { model } = clientFor('openai-ollama-model-missing.json', []);
    const err = await createModelAnalyzer(model).analyze(cascadeFinding()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelCallError);
    expect((err as Error).message).toContain('HTTP 404');
    expect(JSON.stringify(err)).toContain('not found, try pulling it first');
  });
});
