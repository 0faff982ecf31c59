// Entry of a handler worker thread. Workers do not inherit a loader registered in code (bin/firedrill.js,
// vitest), so this plain-JS file registers tsx before loading the TypeScript side.
import { register } from 'tsx/esm/api';
register();
await import('./handler-worker-main.ts');
