import { createHash } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { parseDocument, isMap, isSeq } from 'yaml';
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

/** One ES module for the Node 20 Lambda runtime from `contents` (an entry that re-exports from the sources). */
async function bundleModule(contents: string, sourcefile: string, outfile: string): Promise<void> {
  await build({
    stdin: { contents, resolveDir: ROOT, sourcefile, loader: 'ts' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    outfile,
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
}


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
    await bundleModule(`export { handler } from './${HANDLER_SOURCES[name]}';`, `${name}-entry.ts`, file);
    // The analyzer reads its prompt templates beside its module (a model analyzer only; offline needs none).
    if (name === 'detector') cpSync(join(ROOT, 'pipeline', 'analyze', 'prompts'), join(dir, 'prompts'), { recursive: true });
    const bytes = readFileSync(file);
    out[name] = { name, dir, file, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  }
  return out;
}

/** The builtin SUT file, whose handlers and hooks the bundled SUT rebinds. */
const BUILTIN_SUT_SOURCE = join(ROOT, 'pipeline', 'firedrill.sut.yaml');

export interface BundledSut {
  bundles: Record<HandlerName, HandlerBundle>;
  /** `<outdir>/firedrill.sut.yaml`: `firedrill run --sut <it>` runs the bundles. */
  sutFile: string;
  /** `<outdir>/sut-hooks.mjs`: the setup, ledger and prune hooks, bundled likewise. */
  hooksFile: string;
}

/**
 * The reference pipeline as built artifacts: the three Lambda bundles, its SUT hooks bundled the same way, and beside
 * them the builtin SUT file with each handler bound to its bundle (`code: ./<function>`, `handler: index.mjs#handler`)
 * and the hooks to `./sut-hooks.mjs`. Everything else (triggers, environment, taps, remediation) is the builtin's
 * own, so `--sut <outdir>/firedrill.sut.yaml` runs the same pipeline from what infra/ deploys instead of its sources.
 */
export async function bundleSut(opts: { outdir?: string } = {}): Promise<BundledSut> {
  const outdir = opts.outdir ?? DEFAULT_BUNDLE_DIR;
  const bundles = await bundleHandlers({ outdir });
  const hooksFile = join(outdir, 'sut-hooks.mjs');
  await bundleModule(`export * from './pipeline/sut-hooks.ts';`, 'sut-hooks-entry.ts', hooksFile);
  const doc = parseDocument(readFileSync(BUILTIN_SUT_SOURCE, 'utf8'));
  const handlers = doc.get('handlers');
  if (!isSeq(handlers)) throw new Error(`${BUILTIN_SUT_SOURCE}: no handlers list to rebind`);
  const bound = new Set<string>();
  for (const h of handlers.items) {
    if (!isMap(h)) continue;
    const name = String(h.get('name')) as HandlerName;
    if (!(name in bundles)) throw new Error(`${BUILTIN_SUT_SOURCE}: handler ${name} has no bundle (bundled: ${HANDLER_NAMES.join(', ')})`);
    h.set('code', `./${name}`);
    h.set('handler', `${LAMBDA_HANDLER.replace(/\.handler$/, '.mjs')}#handler`);
    bound.add(name);
  }
  const unbound = HANDLER_NAMES.filter((n) => !bound.has(n));
  if (unbound.length) throw new Error(`${BUILTIN_SUT_SOURCE}: no handler named ${unbound.join(', ')}`);
  for (const path of [['resources', 'setup'], ['ledger'], ['prune', 'hook']]) {
    const ref = doc.getIn(path);
    if (typeof ref === 'string') doc.setIn(path, `./sut-hooks.mjs${ref.slice(ref.lastIndexOf('#'))}`);
  }
  doc.set('description', `${String(doc.get('description') ?? '')} (from the built Lambda bundles)`);
  doc.commentBefore = ' The builtin SUT (pipeline/firedrill.sut.yaml) bound to its built Lambda bundles by `npm run infra:bundle`:\n written, not edited.';
  const sutFile = join(outdir, 'firedrill.sut.yaml');
  // The source's schema path is relative to pipeline/, so it goes.
  writeFileSync(sutFile, doc.toString({ lineWidth: 0 }).replace(/^# yaml-language-server: .*\n#\n/m, ''));
  return { bundles, sutFile, hooksFile };
}
