/**
 * Runs tasks while the bytes they declare stay within `budget`, in the order they were asked for. A task larger
 * than the budget still runs, alone, so nothing waits forever. p-limit bounds a number of tasks; the detector's
 * curated objects differ in size by more than ten times, so a count bounds nothing about memory.
 */
export function byteLimit(budget: number): <T>(bytes: number, task: () => Promise<T>) => Promise<T> {
  let inFlight = 0;
  let running = 0;
  const queue: { bytes: number; start: () => void }[] = [];
  const pump = (): void => {
    while (queue.length > 0 && (running === 0 || inFlight + queue[0]!.bytes <= budget)) {
      const next = queue.shift()!;
      inFlight += next.bytes;
      running += 1;
      next.start();
    }
  };
  return <T>(bytes: number, task: () => Promise<T>): Promise<T> => new Promise<T>((resolve, reject) => {
    queue.push({
      bytes,
      start: () => {
        task().then(resolve, reject).finally(() => {
          inFlight -= bytes;
          running -= 1;
          pump();
        });
      },
    });
    pump();
  });
}
