#!/bin/sh
// 2>/dev/null; export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}" MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-131072}" MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-131072}" NODE_OPTIONS="--max-semi-space-size=4${NODE_OPTIONS:+ $NODE_OPTIONS}"; exec node "$0" "$@"
// The installed `firedrill` command (package.json "bin", compiled to dist/cli/bin.js). From a clone,
// bin/firedrill.js runs the same main() from the TypeScript sources.
//
// The two lines above are a POSIX sh launcher that node reads as a hashbang and a comment (see
// cli/launcher.test.ts): run as a command, sh gives node a young generation of two 4 MB semi-spaces instead of V8's
// two of 16 for the CLI's own isolate, which a V8 flag can only set before the isolate starts (the handler threads
// cap theirs through their resourceLimits): ~60 MB less peak RSS at 100k and 1M events for ~2-6 % more CPU in Node. It goes
// in front of the user's NODE_OPTIONS, so a --max-semi-space-size of theirs comes later and wins (V8 takes the last
// one). Plain sh rather than `#!/usr/bin/env -S node …`: BusyBox's env (Alpine) and the BSDs' have no -S and would
// not start the command at all; the cost is Windows, where npm's shim for the command looks for sh (Git Bash, WSL).
// It also sets MALLOC_ARENA_MAX=2 unless the user's environment has one (theirs is kept): node is threaded (the
// handler threads, libuv's pool), and glibc's malloc gives a threaded program up to 8 arenas per core, each keeping
// the memory freed into it for its own next allocations rather than returning it to the system, so the process
// keeps every arena's high-water mark; two arenas share one reserve (bench:scale, README "Production volume").
// And it fixes glibc's mmap and trim thresholds at their initial 128 KiB unless the user's environment sets them:
// left dynamic, glibc raises the mmap threshold to the size of each mmap'd block freed (up to 32 MB), so after the
// first large Buffers (gzip bodies, request payloads) are freed, the next ones of that size come from the arenas,
// where freed memory stays with the process; fixed, every block of 128 KiB or more is mapped on its own and
// returned when freed (1M events, three A/B pairs on a loaded machine: Node's peak 466-468 -> 415-433 MB, CPU the same).
// `node dist/cli/bin.js` runs without the launcher.
import { main } from './main.ts';

process.exitCode = await main(process.argv);
