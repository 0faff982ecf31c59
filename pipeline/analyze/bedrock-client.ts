import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { errorMessage } from '../../core/index.ts';
import { ModelCallError, type ModelClient, type ModelReply } from './analyzer.ts';

export interface BedrockOptions {
  modelId: string;
  region?: string;
  /** An endpoint other than Bedrock's own (a VPC endpoint, a proxy); never the emulator's. */
  endpoint?: string;
  /** A client made elsewhere (tests pass one whose HTTP handler replays a recorded exchange). */
  client?: Pick<BedrockRuntimeClient, 'send'>;
}

/**
 * Amazon Bedrock through the Converse API: one system block, one user message, temperature 0. Converse speaks
 * the same request shape to every chat model Bedrock hosts, so the model id is all that changes between them.
 */
export function createBedrockClient(opts: BedrockOptions): ModelClient {
  // The SDK package is loaded on the first call: the detector's cold start does not pay for it when no model is
  // asked (the offline analyzer, the default).
  let client: Pick<BedrockRuntimeClient, 'send'> | undefined = opts.client;
  const sdk = () => import('@aws-sdk/client-bedrock-runtime');
  return {
    provider: 'bedrock',
    model: opts.modelId,
    complete: async ({ system, user, maxTokens }, signal): Promise<ModelReply> => {
      const { BedrockRuntimeClient: Client, ConverseCommand } = await sdk();
      client ??= new Client({ ...(opts.region ? { region: opts.region } : {}), ...(opts.endpoint ? { endpoint: opts.endpoint } : {}) });
      let r;
      try {
        r = await client.send(
          new ConverseCommand({
            modelId: opts.modelId,
            system: [{ text: system }],
            messages: [{ role: 'user', content: [{ text: user }] }],
            inferenceConfig: { maxTokens, temperature: 0 },
          }),
          signal ? { abortSignal: signal } : {},
        );
      } catch (err) {
        throw new ModelCallError(`Bedrock Converse with ${opts.modelId} failed`, { expected: 'a Converse response', seen: `${(err as { name?: string }).name ?? 'Error'}: ${errorMessage(err)}`, fix: 'check the model id (FIREDRILL_ANALYZER_MODEL), model access in the Bedrock console, the region and the credentials', cause: err });
      }
      const text = (r.output?.message?.content ?? []).map((c) => ('text' in c && typeof c.text === 'string' ? c.text : '')).join('');
      return { text, ...(r.stopReason ? { stopReason: r.stopReason } : {}) };
    },
  };
}
