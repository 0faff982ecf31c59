import { existsSync } from 'node:fs';

// Which handler threads load tsx. Kept apart from the thread's entry (handler-worker-main.ts), which runs on import.

const TYPESCRIPT_EXTENSIONS = /\.(?:ts|mts|cts|tsx)$/;

/**
 * Whether a handler's thread registers tsx before it loads the handler. tsx costs every thread that registers it
 * about 10 MB (its loader and the source maps of what it transformed), so a thread pays for it only when it loads
 * TypeScript: when the runtime itself runs from the sources (the thread's own entry is then TypeScript), when the
 * handler's file is TypeScript, or when it does not exist as named (tsx resolves `./x.js` to `./x.ts`, as
 * TypeScript's own imports do). A JavaScript handler that turns out to import TypeScript still loads: its thread
 * registers tsx then and imports it again (wantsTypeScript).
 */
export function needsTypeScriptLoader(handlerFile: string, runtimeFromSources: boolean, exists: (file: string) => boolean = existsSync): boolean {
  return runtimeFromSources || TYPESCRIPT_EXTENSIONS.test(handlerFile) || !exists(handlerFile);
}
/** Errors of a module graph that names TypeScript Node cannot load by itself; nothing of it has run yet (linking). */
export function wantsTypeScript(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : '';
  if (code === 'ERR_UNKNOWN_FILE_EXTENSION') return /\.(?:ts|mts|cts|tsx)\b/.test(message);
  // `import './x.js'` written for a TypeScript `./x.ts` (TypeScript's own convention): tsx resolves it.
  return code === 'ERR_MODULE_NOT_FOUND' && /\.(?:js|mjs|cjs)'/.test(message);
}

