import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { describe, expect, it } from 'vitest';
import { createModelAnalyzer, ModelCallError } from './analyzer.ts';
import { createBedrockClient } from './bedrock-client.ts';
import { loadExchange, replayHandler, type SentRequest } from './recorded-exchange.ts';
import { cascadeFinding, leakedKeyFinding } from './test-findings.ts';

const MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';

function clientFor(name: string, sent: SentRequest[]) {
  const x = loadExchange(name);
  const sdk = new BedrockRuntimeClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
    requestHandler: replayHandler(x, sent),
    maxAttempts: 1,
  });
  return { x, model: createBedrockClient({ modelId: MODEL, client: sdk }) };
}

describe('Bedrock Converse adapter (recorded exchanges)', () => {
  it('sends one Converse request (system block, one user turn, temperature 0) and reads the JSON answer', async () => {
    const sent: SentRequest[] = [];
    const { x, model } = clientFor('bedrock-converse-ok.json', sent);
    const a = await createModelAnalyzer(model).analyze(cascadeFinding());
    expect(sent).toHaveLength(1);
    expect(sent[0]!.method).toBe(x.request.method);
    expect(sent[0]!.path).toBe(x.request.path);
    expect(sent[0]!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/bedrock\/aws4_request/);
    const body = sent[0]!.body as { system: { text: string }[]; messages: { role: string; content: { text: string }[] }[]; inferenceConfig: Record<string, number> };
    expect(body.system).toHaveLength(1);
    expect(body.system[0]!.text).toContain('connection-exhaustion');
    expect(body.messages).toHaveLength(1);
    expect(body.messages[0]!.role).toBe('user');
    expect(body.messages[0]!.content[0]!.text).toContain('rds:ledger-db connection exhaustion -> app:billing-api DB errors');
    expect(body.inferenceConfig).toEqual({ maxTokens: 600, temperature: 0 });
    expect(a).toMatchObject({ provider: 'bedrock', model: MODEL, category: 'connection-exhaustion', rootEntity: 'ledger-db' });
    expect(a.fallbackReason).toBeUndefined();
  });

  it('sends no secret and no raw access key id; the key id comes back in the answer', async () => {
    const sent: SentRequest[] = [];
    const { model } = clientFor('bedrock-converse-ok.json', sent);
    await createModelAnalyzer(model).analyze(leakedKeyFinding());
    const wire = JSON.stringify(sent[0]!.body);
    expect(wire).not.toContain('hunter22');
    expect(wire).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(wire).toContain('[aws-access-key-id-1]');
  });

  it('a reply cut at max_tokens falls back to the offline analysis and says why', async () => {
    const { model } = clientFor('bedrock-converse-truncated.json', []);
    const a = await createModelAnalyzer(model).analyze(cascadeFinding());
    expect(a.provider).toBe('offline');
    expect(a.fallbackReason).toMatch(/not JSON.*token limit: max_tokens/s);
    expect(a.category).toBe('connection-exhaustion');
  });

  it('a throttled call is a ModelCallError that names the exception and how to fix it', async () => {
    const { model } = clientFor('bedrock-converse-throttled.json', []);
    const err = await createModelAnalyzer(model).analyze(cascadeFinding()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelCallError);
    expect(String((err as Error).message)).toContain(MODEL);
    expect(JSON.stringify(err)).toMatch(/ThrottlingException|Too many requests/);
  });
});
