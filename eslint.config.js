// Flat config: typescript-eslint's recommended rules; type-aware linting is left to `tsc` (faster CI).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/**
 * The layering of docs/CONTRACTS.md: which top-level folders each folder may import. Imports point down only;
 * the system under test (pipeline/) never sees the data maker (generators/, scenarios/) nor the harness, which is
 * what keeps labels from leaking. cli/, test/, bench/ and unit tests (*.test.ts) may import anything.
 */
export const LAYERS = {
  core: [],
  formats: ['core'],
  generators: ['formats', 'core'],
  scenarios: ['generators', 'formats', 'core'],
  emulator: ['core'],
  runtime: ['core'],
  pipeline: ['formats', 'core'],
  harness: ['scenarios', 'emulator', 'runtime', 'formats', 'core'],
  infra: ['pipeline', 'formats', 'core'],
  examples: ['core'],
};
const TOP = Object.keys(LAYERS);

/** `../../x/...` where x is a top-level folder (no folder has a subfolder named like a top-level one). */
const into = (folders) => `^(\\.\\./)+(${folders.join('|')})/`;

function layerRule(folder) {
  const forbidden = TOP.filter((f) => f !== folder && !LAYERS[folder].includes(f));
  const allowed = LAYERS[folder];
  const patterns = [];
  if (forbidden.length) {
    patterns.push({ regex: into(forbidden), message: `${folder}/ may import only ${allowed.join(', ') || 'nothing outside itself'} (docs/CONTRACTS.md, layering).` });
  }
  if (allowed.length) {
    // A folder is entered through its index.ts (or a subfolder's index.ts), never through its internals.
    patterns.push({ regex: `${into(allowed)}(?!([\\w-]+/)?index\\.ts$)`, message: 'enter another folder through its index.ts, not its internals.' });
  }
  return patterns;
}

export default tseslint.config(
  { ignores: ['node_modules/**', '.venv/**', 'reports/**', 'cdktf.out/**', 'dist/**', 'coverage/**', '.firedrill/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  ...TOP.map((folder) => ({
    files: [`${folder}/**/*.ts`, `${folder}/**/*.mjs`],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: layerRule(folder) }] },
  })),
);
