// Down: stop exactly what the state file lists (pid and start time must still match), in reverse start
// order, SIGKILL after a short grace, then remove the cluster's files. Idempotent.
import { existsSync, rmSync } from 'node:fs';
import { isRunning, readState } from './state.js';
import { processesOf, signalTree, sleep } from '../../process/proctable.js';

export interface DownResult {
  stopped: string[];
  killed: string[];
  foundState: boolean;
}

// The cluster is thrown away (logs were dumped before), so a long graceful shutdown buys nothing.
/** Removes what a node type left besides its recorded daemons (NodeProvider.cleanup). */
export type NodeCleanup = (dir: string, log: (m: string) => void) => Promise<void>;

export async function downCluster(
  dir: string,
  log: (m: string) => void,
  graceMs = 1000,
  cleanup?: (nodeType: string | undefined) => NodeCleanup | undefined,
): Promise<DownResult> {
  const state = readState(dir);
  const result: DownResult = { stopped: [], killed: [], foundState: Boolean(state) };
  const nodeCleanup = cleanup?.(state?.nodeType);
  if (!state) {
    await nodeCleanup?.(dir, log);
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    return result;
  }
  const mine = [...state.components].reverse().filter(isRunning);
  for (const c of state.components) {
    if (!mine.includes(c) && c.pid) log(`${c.name} (pid ${c.pid}) is not running any more`);
  }
  for (const c of mine) signalTree(c.pid, 'SIGTERM');
  const until = Date.now() + graceMs;
  while (Date.now() < until && mine.some(isRunning)) await sleep(50);
  for (const c of mine) {
    if (isRunning(c) || processesOf(c.pid).length > 0) {
      result.killed.push(c.name);
      for (let i = 0; i < 40 && signalTree(c.pid, 'SIGKILL') > 0; i++) await sleep(25);
    } else {
      result.stopped.push(c.name);
    }
  }
  if (result.killed.length) log(`killed after ${graceMs / 1000}s: ${result.killed.join(', ')}`);
  await nodeCleanup?.(dir, log);
  rmSync(dir, { recursive: true, force: true });
  return result;
}
