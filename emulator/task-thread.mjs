// Entry of a one-off emulator task thread (run-in-thread.ts): the estate's bootstrap and moto's warm-up, which load
// most of the SDK's service packages, run here so that the CLI's thread does not keep them loaded for the rest of
// the drill. Plain JavaScript, as runtime/handler-worker.mjs: from the sources it registers tsx first (workers do
// not inherit a loader registered in code); from the build it loads the compiled module and does without tsx.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = new URL('./thread-tasks.js', import.meta.url);
const fromBuild = existsSync(fileURLToPath(compiled));
if (!fromBuild) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(fromBuild ? compiled.href : './thread-tasks.ts');
