import type { HandlerStats } from '../../runtime/index.ts';

/**
 * The drill's progress line of each handler's `Max Memory Used` against the memory its SUT file declares, as
 * Lambda's REPORT lines give them: what a SUT author sizes `memoryMb` by. A Node handler's figure is its thread's
 * isolate (the threads share the CLI's process); a Python handler's, its largest process. Undefined when no handler
 * has been invoked (nothing measured).
 */
export function handlerMemoryLine(stats: readonly HandlerStats[], handlers: readonly { name: string; memoryMb: number }[]): string | undefined {
  const measured = stats.flatMap((s) => {
    const declared = handlers.find((h) => h.name === s.handler)?.memoryMb;
    return s.maxMemoryUsedMb === undefined ? [] : [`${s.handler} ${s.maxMemoryUsedMb}${declared === undefined ? '' : ` of ${declared}`} MB`];
  });
  return measured.length ? `handler memory (max used of declared): ${measured.join(', ')}` : undefined;
}
