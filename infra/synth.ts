import { App } from 'cdktf';
import { defaultTopology, type TopologyOptions } from '../core/topology/index.ts';
import { FiredrillStack } from './firedrill-stack.ts';

/** Synthesizes the Terraform JSON into `outdir` (default `cdktf.out`); `terraform apply` takes it from there. */
export function synthesize(opts: TopologyOptions & { outdir?: string } = {}): string {
  const outdir = opts.outdir ?? 'cdktf.out';
  const app = new App({ outdir });
  new FiredrillStack(app, 'firedrill', defaultTopology(opts));
  app.synth();
  return outdir;
}
