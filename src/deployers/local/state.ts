// The local cluster's state file: what this deployer started (pid + start time), on which ports, where its
// files are. It is written after every start, so that after a crash of kubetest the next TearDown Previous
// (or --down) removes exactly what was started, and never a process it did not start.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSameProcess } from '../../process/daemon.js';
import { writeFileAtomic } from '../../util/atomic.js';

export interface ComponentRecord {
  name: string;
  pid: number;
  startTime: number;
  argv: readonly string[];
  logFile: string;
  port?: number;
}

export interface ClusterState {
  version: 1;
  cluster: string;
  dir: string;
  createdAt: string;
  kubeVersion?: string;
  kubeconfig?: string;
  kubectl?: string;
  apiserverUrl?: string;
  /** --local-node-type of the run that wrote this (teardown cleans up after that node type). */
  nodeType?: string;
  components: ComponentRecord[];
}

/** The process the record names is still the one we started (a reused pid is not). */
export function isRunning(c: ComponentRecord): boolean {
  return isSameProcess(c.pid, c.startTime);
}

export function stateFile(dir: string): string {
  return join(dir, 'state.json');
}

export function readState(dir: string): ClusterState | undefined {
  const f = stateFile(dir);
  if (!existsSync(f)) return undefined;
  try {
    return JSON.parse(readFileSync(f, 'utf8')) as ClusterState;
  } catch {
    return undefined;
  }
}

export function writeState(s: ClusterState): void {
  writeFileAtomic(stateFile(s.dir), JSON.stringify(s, null, 2) + '\n');
}
