// `npm run infra:bundle`: the three Lambda bundles in dist/lambda/<function>/index.mjs (infra:synth makes them too).
import { bundleHandlers } from './bundle-handlers.ts';

const outdir = process.argv[2];
for (const b of Object.values(await bundleHandlers(outdir ? { outdir } : {}))) {
  process.stdout.write(`${b.name.padEnd(11)} ${b.file}  ${(b.bytes / 1e6).toFixed(2)} MB  sha256 ${b.sha256.slice(0, 12)}\n`);
}
