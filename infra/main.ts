// Entry point for `cdktf synth` / `cdktf deploy` (see cdktf.json) and `npm run infra:synth`.
import { synthesize } from './synth.ts';

const shards = process.env.FIREDRILL_LOAD_SHARDS ? Number(process.env.FIREDRILL_LOAD_SHARDS) : undefined;
const outdir = await synthesize({ prefix: process.env.FIREDRILL_PREFIX || undefined, region: process.env.AWS_REGION || undefined, ...(shards !== undefined ? { loadShards: shards } : {}) });
process.stdout.write(`Terraform JSON written to ${outdir}/stacks/firedrill (terraform init && terraform apply there, or cdktf deploy)\n`);
