import { z } from 'zod';
import { errorMessage } from '../../core/index.ts';
import { ModelCallError, type ModelClient, type ModelReply } from './analyzer.ts';

export interface OpenAiOptions {
  /** `http://localhost:11434/v1` (Ollama), `http://localhost:8000/v1` (vLLM), `https://api.openai.com/v1`; `/v1` may be left out. */
  baseUrl: string;
  model: string;
  /** Sent as `Authorization: Bearer …` when set (a local Ollama or vLLM needs none). */
  apiKey?: string;
  /** Ask for `response_format: {type: "json_object"}` (default true; some servers refuse it). */
  jsonMode?: boolean;
  /** Injected in tests (a recorded exchange); default the global fetch. */
  fetch?: typeof fetch;
}

/** The part of a chat completion this reads; the rest of the object is ignored. */
const ChatCompletion = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }), finish_reason: z.string().nullish() })).min(1),
  model: z.string().optional(),
});

/** The URL of the chat completions route under a base URL given with or without `/v1`. */
export function chatCompletionsUrl(baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  return /\/v\d+$/.test(base) ? `${base}/chat/completions` : `${base}/v1/chat/completions`;
}

/**
 * Any endpoint that speaks OpenAI's `/v1/chat/completions` (OpenAI, a local Ollama or vLLM, LiteLLM …), with the
 * platform's fetch: one POST, no SDK, because the route is one small JSON shape and every such server speaks it.
 */
export function createOpenAiClient(opts: OpenAiOptions): ModelClient {
  const url = chatCompletionsUrl(opts.baseUrl);
  const doFetch = opts.fetch ?? fetch;
  return {
    provider: 'openai',
    model: opts.model,
    complete: async ({ system, user, maxTokens }, signal): Promise<ModelReply> => {
      const body = {
        model: opts.model,
        messages: [
          { role: 'system', content: system },
          { role: 'user', content: user },
        ],
        temperature: 0,
        max_tokens: maxTokens,
        ...(opts.jsonMode === false ? {} : { response_format: { type: 'json_object' } }),
      };
      const fix = 'check FIREDRILL_ANALYZER_BASE_URL, FIREDRILL_ANALYZER_MODEL and FIREDRILL_ANALYZER_API_KEY, and that the server is up (`curl <base>/models`)';
      let res: Response;
      try {
        res = await doFetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {}) },
          body: JSON.stringify(body),
          ...(signal ? { signal } : {}),
        });
      } catch (err) {
        throw new ModelCallError(`POST ${url} failed`, { expected: 'an HTTP response', seen: errorMessage(err), fix, cause: err });
      }
      const text = await res.text();
      if (!res.ok) {
        // OpenAI-style errors: {"error": {"message": …}}; anything else is shown as it came.
        let detail = text.slice(0, 300);
        try {
          const e = JSON.parse(text) as { error?: { message?: string } | string };
          detail = typeof e.error === 'string' ? e.error : (e.error?.message ?? detail);
        } catch {
          // Not JSON: the raw text is the detail.
        }
        throw new ModelCallError(`POST ${url} answered HTTP ${res.status}`, { expected: 'HTTP 200 with a chat completion', seen: detail, fix });
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new ModelCallError(`POST ${url} answered with something that is not JSON`, { expected: 'a chat completion object', seen: text.slice(0, 200), fix });
      }
      const parsed = ChatCompletion.safeParse(json);
      if (!parsed.success) {
        throw new ModelCallError(`POST ${url} answered with no chat completion`, { expected: '{"choices": [{"message": {"content": …}}]}', seen: text.slice(0, 200), fix });
      }
      const choice = parsed.data.choices[0]!;
      return { text: choice.message.content ?? '', ...(choice.finish_reason ? { stopReason: choice.finish_reason } : {}) };
    },
  };
}
