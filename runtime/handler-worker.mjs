// Entry of a handler worker thread. Workers do not inherit a loader registered in code (bin/firedrill.js,
// vitest), so this plain-JS file registers tsx first: a SUT's handler may be TypeScript. From the sources it then
// loads the TypeScript side; from the build (where this file is copied beside the compiled modules) the JavaScript.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const compiled = new URL('./handler-worker-main.js', import.meta.url);
await import(existsSync(fileURLToPath(compiled)) ? compiled.href : './handler-worker-main.ts');
