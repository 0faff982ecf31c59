/** What a report can show of a finding beyond its summary: the log lines it rests on and the analyzer's reading. */
export interface FindingEvidence {
  sampleLines: string[];
  analysis?: { explanation: string; category?: string; suggestedAction?: string; provider?: string };
}

/** Lines longer than this are cut in reports (a finding's evidence is for reading, the scorecard JSON keeps all). */
const MAX_LINE = 400;
const MAX_LINES = 5;

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const str = (x: unknown): string | undefined => (typeof x === 'string' && x.length > 0 ? x : undefined);

/**
 * Reads the evidence out of a raw finding as a tap returned it. firedrill's own findings carry
 * `evidence.sampleLines` and, when the analyzer ran, `analysis`; a system under test's findings may carry
 * neither, and then there is simply nothing to show (never an error: the shape is the SUT's).
 */
export function findingEvidence(raw: unknown): FindingEvidence {
  if (!isRecord(raw)) return { sampleLines: [] };
  const ev = raw.evidence;
  const lines = isRecord(ev) && Array.isArray(ev.sampleLines) ? ev.sampleLines.filter((l): l is string => typeof l === 'string') : [];
  const sampleLines = lines.slice(0, MAX_LINES).map((l) => (l.length > MAX_LINE ? `${l.slice(0, MAX_LINE)}…` : l));
  const a = raw.analysis;
  const explanation = isRecord(a) ? str(a.explanation) : undefined;
  if (!isRecord(a) || explanation === undefined) return { sampleLines };
  const category = str(a.category), suggestedAction = str(a.suggestedAction), provider = str(a.provider);
  return { sampleLines, analysis: { explanation, ...(category ? { category } : {}), ...(suggestedAction ? { suggestedAction } : {}), ...(provider ? { provider } : {}) } };
}
