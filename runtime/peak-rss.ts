import { readFileSync } from 'node:fs';

/**
 * A process's peak resident set (VmHWM) in MB, as Lambda's `Max Memory Used` counts an execution environment: read
 * from /proc, so Linux only (undefined elsewhere, or once the process is gone).
 */
export function peakRssMb(pid: number | undefined, read: (path: string) => string = (p) => readFileSync(p, 'utf8')): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const kb = /^VmHWM:\s+(\d+)\s+kB/m.exec(read(`/proc/${pid}/status`))?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}
