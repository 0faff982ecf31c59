import type { TestProject } from 'vitest/node';

// Replaced by the emulator runtime (issue 2): starts one emulator for the whole run and provides its endpoint.
export default async function setup(_project: TestProject): Promise<void> {}
