import { App } from 'cdktf';
import { defaultTopology, type TopologyOptions } from '../core/topology/index.ts';
import { bundleHandlers, DEFAULT_BUNDLE_DIR } from './bundle-handlers.ts';
import { FiredrillStack } from './firedrill-stack.ts';

/**
 * Bundles the handlers (esbuild) and synthesizes the Terraform JSON into `outdir` (default `cdktf.out`);
 * `terraform apply` (or `tofu apply`) takes it from there.
 */
export async function synthesize(opts: TopologyOptions & { outdir?: string; bundleDir?: string } = {}): Promise<string> {
  const outdir = opts.outdir ?? 'cdktf.out';
  const bundles = await bundleHandlers({ outdir: opts.bundleDir ?? DEFAULT_BUNDLE_DIR });
  const app = new App({ outdir });
  new FiredrillStack(app, 'firedrill', defaultTopology(opts), bundles);
  app.synth();
  return outdir;
}
