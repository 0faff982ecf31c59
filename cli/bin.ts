#!/usr/bin/env node
// The installed `firedrill` command (package.json "bin", compiled to dist/cli/bin.js). From a clone,
// bin/firedrill.js runs the same main() from the TypeScript sources.
import { main } from './main.ts';

process.exitCode = await main(process.argv);
