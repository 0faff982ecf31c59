// Setup hooks for run-setup-hook.test.ts: one per way a hook can go right or wrong.
export const notAFunction = 42;
export async function returnsOutputs(ctx) {
  return { queue: ctx.refs['queue-url:work'], shards: 2, ok: true };
}
export function returnsNothing() {}
export function returnsNested() {
  return { arn: { nested: true } };
}
export async function fails() {
  throw new Error('state machine definition rejected');
}
