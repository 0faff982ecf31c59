// `npm run infra:bundle`: the three Lambda bundles in dist/lambda/<function>/index.mjs (infra:synth makes them too), the
// SUT hooks in dist/lambda/sut-hooks.mjs and dist/lambda/firedrill.sut.yaml, the builtin SUT bound to the bundles.
import { bundleSut } from './bundle-handlers.ts';

const outdir = process.argv[2];
const built = await bundleSut(outdir ? { outdir } : {});
for (const b of Object.values(built.bundles)) {
  process.stdout.write(`${b.name.padEnd(11)} ${b.file}  ${(b.bytes / 1e6).toFixed(2)} MB  sha256 ${b.sha256.slice(0, 12)}\n`);
}
process.stdout.write(`SUT file    ${built.sutFile}  (firedrill run --sut ${built.sutFile})\n`);
