import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import type { HandlerName } from '../pipeline/handlers/index.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The source of each Lambda: the module whose `handler` export is the entry point. */
export const HANDLER_SOURCES: Record<HandlerName, string> = {
  normalizer: 'pipeline/handlers/normalizer-handler.ts',
  detector: 'pipeline/handlers/detector-handler.ts',
  dispatcher: 'pipeline/handlers/dispatcher-handler.ts',
};
export const HANDLER_NAMES = Object.keys(HANDLER_SOURCES) as HandlerName[];

/** Where `npm run infra:bundle` (and infra:synth) writes the bundles: one folder per function, `index.mjs` inside. */
export const DEFAULT_BUNDLE_DIR = join(ROOT, 'dist', 'lambda');

/** Lambda's handler setting for every bundle: the `handler` export of `index.mjs`. */
export const LAMBDA_HANDLER = 'index.handler';

export interface HandlerBundle {
  name: HandlerName;
  /** The folder Terraform zips (it holds index.mjs only). */
  dir: string;
  /** The ES module itself; the local runtime imports it. */
  file: string;
  bytes: number;
  sha256: string;
}

/**
 * createAwsClients loads each SDK package by name on first use (so the CLI and a worker load only the clients they
 * use), which a bundler cannot follow. In a bundle that lookup becomes a literal `require` of each package, so
 * esbuild includes the SDK; its CommonJS wrappers still evaluate a package only when its client is first made.
 */
const literalSdkRequires: Plugin = {
  name: 'firedrill-literal-sdk-requires',
  setup(b) {
    b.onLoad({ filter: /core[\\/]aws[\\/]create-aws-clients\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      let rewritten = 0;
      const contents = source.replace(/\bload<.*?>\('(@aws-sdk\/[\w-]+)', '(\w+)'\)/g, (_m, pkg: string, name: string) => {
        rewritten++;
        return `(() => require('${pkg}').${name})`;
      });
      if (rewritten === 0) throw new Error(`${args.path}: no load('<@aws-sdk package>', '<client>') calls left to rewrite; update infra/bundle-handlers.ts`);
      return { contents, loader: 'ts' };
    });
  },
};

/**
 * Bundles each handler with esbuild into one ES module for the Node 20 Lambda runtime. ESM because the sources are
 * ESM (import.meta.url, top-level await) and Lambda runs `.mjs` handlers natively; CommonJS dependencies reach Node's
 * builtins through a `require` made with createRequire (the banner). The AWS SDK v3 is bundled rather than marked
 * external: the zip then runs exactly the SDK versions the lockfile pins and the tests ran, not whichever v3 the
 * Lambda runtime ships that month, and it needs no layer.
 */
export async function bundleHandlers(opts: { outdir?: string; names?: HandlerName[] } = {}): Promise<Record<HandlerName, HandlerBundle>> {
  const outdir = opts.outdir ?? DEFAULT_BUNDLE_DIR;
  const out = {} as Record<HandlerName, HandlerBundle>;
  for (const name of opts.names ?? HANDLER_NAMES) {
    const dir = join(outdir, name);
    const file = join(dir, 'index.mjs');
    await build({
      stdin: { contents: `export { handler } from './${HANDLER_SOURCES[name]}';`, resolveDir: ROOT, sourcefile: `${name}-entry.ts`, loader: 'ts' },
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      outfile: file,
      // Whitespace and syntax only: identifiers stay readable in a Lambda's stack traces.
      minifyWhitespace: true,
      minifySyntax: true,
      keepNames: true,
      legalComments: 'eof',
      mainFields: ['module', 'main'],
      banner: { js: "import { createRequire as __firedrillCreateRequire } from 'node:module'; const require = __firedrillCreateRequire(import.meta.url);" },
      plugins: [literalSdkRequires],
      logLevel: 'error',
    });
    const bytes = readFileSync(file);
    out[name] = { name, dir, file, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  }
  return out;
}
