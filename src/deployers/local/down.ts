// Down: stop what the state file lists (pid and start time must still match) and every other process that
// lives in the cluster dir (its cwd or an argument is there: a daemon a crashed or concurrent run left), SIGKILL
// after a short grace, then remove the cluster's files. A truncated or foreign state file is reported and
// the dir is searched anyway; if anything of the cluster is still running at the end, Down fails and the dir
// is kept. A node type's own leftovers (namespaces, mounts, cgroups of kubelet nodes) go with NodeCleanup.
// Idempotent.
import { existsSync, rmSync } from 'node:fs';
import { StepFailure } from '../../process/errors.js';
import { killTree, processesUnder } from '../../process/proctable.js';
import { portReleased } from './ports.js';
import { isRunning, loadState } from './state.js';

export interface DownResult {
  stopped: string[];
  killed: string[];
  foundState: boolean;
}

/** Removes what a node type left besides its recorded daemons (NodeProvider.cleanup). */
export type NodeCleanup = (dir: string, log: (m: string) => void) => Promise<void>;

// The cluster is thrown away (logs were dumped before), so a long graceful shutdown buys nothing.
export async function downCluster(
  dir: string,
  log: (m: string) => void,
  graceMs = 1000,
  cleanup?: (nodeType: string | undefined) => Promise<NodeCleanup | undefined>,
): Promise<DownResult> {
  const read = loadState(dir);
  const result: DownResult = { stopped: [], killed: [], foundState: read.kind !== 'absent' };
  if (!existsSync(dir)) return result;
  if (read.kind === 'corrupt') {
    log(`state file ${dir}/state.json is unreadable (${read.reason}): looking for the cluster's processes instead`);
  }
  const listed = read.kind === 'ok' ? read.state.components : [];
  for (const c of listed) if (!isRunning(c)) log(`${c.name} (pid ${c.pid}) is not running any more`);
  const mine = [...listed].reverse().filter(isRunning);
  const known = new Set(mine.map((c) => c.pid));
  const strays = processesUnder(dir).filter((p) => !known.has(p.pid));
  for (const p of strays) log(`found ${p.comm} (pid ${p.pid}) in ${dir}, not in the state file: stopping it`);
  const targets = [
    ...mine.map((c) => ({ name: c.name, pid: c.pid, port: c.port })),
    ...strays.map((p) => ({ name: p.comm, pid: p.pid, port: undefined })),
  ];
  // A daemon that closed its port has done what matters of its graceful shutdown; the rest is cut short.
  const outcomes = await Promise.all(
    targets.map((t) => killTree(t.pid, graceMs, t.port ? portReleased(t.port) : undefined)),
  );
  targets.forEach((t, i) => (outcomes[i] === 'killed' ? result.killed : result.stopped).push(t.name));
  if (result.killed.length) log(`killed after ${graceMs / 1000}s: ${result.killed.join(', ')}`);
  // Without a state file to say which node type ran, clean up as for kubelet nodes: it is a no-op otherwise.
  const nodeCleanup = await cleanup?.(read.kind === 'ok' ? read.state.nodeType : 'kubelet');
  await nodeCleanup?.(dir, log);
  const left = processesUnder(dir);
  if (left.length > 0) {
    const names = left.map((p) => `${p.comm} (pid ${p.pid})`).join(', ');
    throw new StepFailure(`local cluster in ${dir}: still running after SIGKILL: ${names}; its files are kept`);
  }
  rmSync(dir, { recursive: true, force: true });
  return result;
}
