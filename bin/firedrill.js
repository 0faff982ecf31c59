#!/usr/bin/env node
// The published entry point: registers tsx's ESM loader so the TypeScript sources run as they are
// (no build step to forget), then hands over to the CLI.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv);
