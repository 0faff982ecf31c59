/** The test SUT's setup hook: proves it runs after the resources exist and that its outputs flow back. */
export async function setup(ctx: { endpoint?: string; region: string; account: string; refs: Record<string, string>; env: Record<string, string | undefined> }): Promise<Record<string, string>> {
  if (!ctx.refs['queue-url:work']) throw new Error('setup ran before the queue existed');
  return { marker: `setup-ran-in-${ctx.region}-${ctx.account}`, workQueue: ctx.refs['queue-url:work'] };
}
