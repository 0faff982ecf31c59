import type { SourceName } from '../../core/index.ts';
import type { Timeline } from '../evaluate/types.ts';

/**
 * Counts events per source per bucket as they stream past (constant memory: one array per source),
 * for the report's timeline chart.
 */
export class EventTimeline {
  private readonly counts: Partial<Record<SourceName, number[]>> = {};
  private readonly buckets: number;

  constructor(private readonly start: number, end: number, private readonly bucketMs: number) {
    this.buckets = Math.max(1, Math.ceil((end - start) / bucketMs));
  }

  add(source: SourceName, time: number): void {
    const i = Math.min(this.buckets - 1, Math.max(0, Math.floor((time - this.start) / this.bucketMs)));
    const arr = (this.counts[source] ??= new Array<number>(this.buckets).fill(0));
    arr[i]!++;
  }

  toTimeline(): Timeline {
    return { bucketMs: this.bucketMs, start: this.start, counts: this.counts };
  }
}
