import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker thread running the ES module at `url`. The thread is started from a one-line eval that imports the module,
 * not from the file itself, because a worker inherits its process's exec arguments: in a process started as
 * `node --input-type=module -e …` (a script that imports firedrill), Node refuses to run a file entry under
 * `--input-type` and the thread dies before the module loads. Exec arguments cannot simply be filtered either: given
 * explicitly, V8 flags such as the launcher's `--max-semi-space-size` are rejected. An eval entry is valid under every
 * `--input-type`, and the module still loads through the process's loaders (`--import tsx` from the sources).
 */
export function moduleThread(url: URL, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  return new Worker(`import(${JSON.stringify(url.href)});`, { ...options, eval: true });
}
