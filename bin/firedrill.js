#!/bin/sh
// 2>/dev/null; export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}" MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-131072}" MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-131072}" NODE_OPTIONS="--max-semi-space-size=4${NODE_OPTIONS:+ $NODE_OPTIONS}"; exec node "$0" "$@"
// The CLI from a clone (`npm run firedrill`, or this file as a command): registers tsx's ESM loader so the
// TypeScript sources run as they are (no build step to forget), then hands over to the CLI. The two lines above
// are the same sh launcher as cli/bin.ts's (the CLI isolate's young generation; see there).
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv);
