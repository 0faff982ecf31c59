// Entry of a handler worker thread. Workers do not inherit a loader registered in code (bin/firedrill.js,
// vitest), so this plain-JS file registers tsx when the thread loads TypeScript: the runtime's own sources, or a
// handler written in TypeScript (workerData.typescript, decided by node-invoker.ts). A thread that loads only
// JavaScript (the build, a JavaScript handler) does without it, and without its cost (about 10 MB a thread).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { workerData } from 'node:worker_threads';

const compiled = new URL('./handler-worker-main.js', import.meta.url);
const fromBuild = existsSync(fileURLToPath(compiled));
if (workerData.typescript || !fromBuild) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(fromBuild ? compiled.href : './handler-worker-main.ts');
