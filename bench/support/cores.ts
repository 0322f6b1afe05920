import { execFileSync } from 'node:child_process';
import os from 'node:os';

/**
 * Which cores the server and the load run on. With two or more cores and `taskset` (util-linux), the
 * server (and its worker processes) is pinned to the first core and the load generator and the SMTP
 * sink to the second, so neither steals the other's time slice; PostgreSQL's own processes are not
 * pinned. `prefix(role)` is what to put before a command; `note` says what was done, for the output.
 */
export type Pinning = { prefix(role: 'server' | 'load'): string[]; note: string };

export function pinning(serverCores = 1): Pinning {
  const cores = os.availableParallelism();
  let taskset = false;
  try {
    execFileSync('taskset', ['--version'], { stdio: 'ignore' });
    taskset = true;
  } catch {
    // no taskset: nothing is pinned, and the output says so
  }
  if (!taskset || cores < 2) return { prefix: () => [], note: `not pinned (${cores} core${cores === 1 ? '' : 's'}${taskset ? '' : ', no taskset'}): server and load share the CPU` };
  const server = Array.from({ length: Math.min(serverCores, cores - 1) }, (_, i) => i).join(',');
  const load = Array.from({ length: cores - Math.min(serverCores, cores - 1) }, (_, i) => i + Math.min(serverCores, cores - 1)).join(',');
  return {
    prefix: (role) => ['taskset', '-c', role === 'server' ? server : load],
    note: `pinned with taskset: server on core ${server}, load and SMTP sink on core ${load} (PostgreSQL not pinned), load at normal priority`,
  };
}
