// Down: stop exactly what the state file lists (pid and start time must still match), in reverse start
// order, SIGKILL after a short grace, then remove the cluster's files. Idempotent.
import { existsSync, rmSync } from 'node:fs';
import { isRunning, readState } from './state.js';
import { killTree } from '../../process/proctable.js';

export interface DownResult {
  stopped: string[];
  killed: string[];
  foundState: boolean;
}

// The cluster is thrown away (logs were dumped before), so a long graceful shutdown buys nothing.
export async function downCluster(dir: string, log: (m: string) => void, graceMs = 1000): Promise<DownResult> {
  const state = readState(dir);
  const result: DownResult = { stopped: [], killed: [], foundState: Boolean(state) };
  if (!state) {
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    return result;
  }
  const mine = [...state.components].reverse().filter(isRunning);
  for (const c of state.components) {
    if (!mine.includes(c) && c.pid) log(`${c.name} (pid ${c.pid}) is not running any more`);
  }
  const outcomes = await Promise.all(mine.map((c) => killTree(c.pid, graceMs)));
  mine.forEach((c, i) => (outcomes[i] === 'killed' ? result.killed : result.stopped).push(c.name));
  if (result.killed.length) log(`killed after ${graceMs / 1000}s: ${result.killed.join(', ')}`);
  rmSync(dir, { recursive: true, force: true });
  return result;
}
