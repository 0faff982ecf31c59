// Entry point for `cdktf synth` / `cdktf deploy` (see cdktf.json) and `npm run infra:synth`.
import { synthesize } from './synth.ts';

const outdir = synthesize({ prefix: process.env.FIREDRILL_PREFIX, region: process.env.AWS_REGION });
process.stdout.write(`Terraform JSON written to ${outdir}/stacks/firedrill (run terraform init && terraform apply there, or cdktf deploy)\n`);
