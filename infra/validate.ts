// `npm run infra:validate`: synthesizes the stack, then `init -backend=false` and `validate` with terraform or tofu,
// whichever is on PATH. Both need the AWS provider from the Terraform (or OpenTofu) registry: run it where that is
// reachable (a CI job, a workstation), not on a machine that reaches package registries only.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { synthesize } from './synth.ts';

const cli = ['terraform', 'tofu'].find((c) => spawnSync(c, ['version'], { stdio: 'ignore' }).status === 0);
if (!cli) {
  process.stderr.write('infra:validate: neither terraform nor tofu is on PATH; install one (e.g. hashicorp/setup-terraform in GitHub Actions) and run again\n');
  process.exit(2);
}
const dir = join(await synthesize(), 'stacks', 'firedrill');
for (const args of [['init', '-backend=false', '-input=false'], ['validate']]) {
  const r = spawnSync(cli, args, { cwd: dir, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
