/**
 * k-way merge of time-ordered iterables with a binary heap: O(log k) per event, one iterator open per
 * source, so a plan with many streams still merges in constant memory. Ties keep source order (the
 * lower index first), which makes the merged stream deterministic.
 */
export function* mergeByTime<T extends { time: number }>(sources: readonly Iterable<T>[]): Generator<T, void, undefined> {
  const iters: Iterator<T>[] = [];
  const heads: T[] = [];
  // heap holds indexes into iters/heads, ordered by (heads[i].time, i).
  const heap: number[] = [];
  const less = (a: number, b: number) => {
    const ta = heads[a]!.time, tb = heads[b]!.time;
    return ta < tb || (ta === tb && a < b);
  };
  const siftUp = (pos: number) => {
    const item = heap[pos]!;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      if (!less(item, heap[parent]!)) break;
      heap[pos] = heap[parent]!;
      pos = parent;
    }
    heap[pos] = item;
  };
  const siftDown = (pos: number) => {
    const n = heap.length;
    const item = heap[pos]!;
    while (true) {
      let child = 2 * pos + 1;
      if (child >= n) break;
      if (child + 1 < n && less(heap[child + 1]!, heap[child]!)) child++;
      if (!less(heap[child]!, item)) break;
      heap[pos] = heap[child]!;
      pos = child;
    }
    heap[pos] = item;
  };

  try {
    for (const src of sources) {
      const it = src[Symbol.iterator]();
      const i = iters.length;
      iters.push(it);
      const r = it.next();
      if (r.done) {
        heads.push(undefined as unknown as T);
        continue;
      }
      heads.push(r.value);
      heap.push(i);
      siftUp(heap.length - 1);
    }
    while (heap.length > 0) {
      const i = heap[0]!;
      const value = heads[i]!;
      const r = iters[i]!.next();
      if (r.done) {
        const last = heap.pop()!;
        if (heap.length > 0) {
          heap[0] = last;
          siftDown(0);
        }
      } else {
        if (r.value.time < value.time) {
          throw new RangeError(`mergeByTime: source ${i} went back in time (${r.value.time} after ${value.time}); every source must yield non-decreasing times`);
        }
        heads[i] = r.value;
        siftDown(0);
      }
      yield value;
    }
  } finally {
    // An early break by the consumer must close every source (files, generators with finally blocks).
    for (const it of iters) it.return?.();
  }
}
