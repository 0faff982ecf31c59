// The estate's Lambda functions exist so incidents can happen to them and remediation can throttle them;
// their code is irrelevant to the drill, so it is the smallest handler that runs.
export const handler = async () => ({ ok: true });
