/**
 * "Has a poll that started after now come back empty?", for sources that have no count of what waits (a stream, a
 * log group): the poller reports each empty poll with its start time, and drained() waits for one that started
 * after it was asked, for at most `waitMs`.
 */
export class CaughtUp {
  private closed = false;
  private waiters: { after: number; resolve: (ok: boolean) => void }[] = [];

  /** A poll that started at `startedAt` found nothing new. */
  empty(startedAt: number): void {
    this.waiters = this.waiters.filter((w) => {
      if (startedAt <= w.after) return true;
      w.resolve(true);
      return false;
    });
  }

  /** Resolves true once an empty poll started after now, false after `waitMs` without one. */
  next(waitMs: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(true);
    const after = Date.now();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        resolve(false);
      }, waitMs);
      const done = (ok: boolean) => {
        clearTimeout(timer);
        resolve(ok);
      };
      this.waiters.push({ after, resolve: done });
    });
  }

  /** Releases every waiter (the source stopped: nothing more will come from it). */
  close(): void {
    this.closed = true;
    for (const w of this.waiters.splice(0)) w.resolve(true);
  }
}
