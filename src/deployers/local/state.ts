// The local cluster's state file: what this deployer started (pid + start time), on which ports, where its
// files are. It is written after every start, so that after a crash of kubetest the next TearDown Previous
// (or --down) removes exactly what was started, and never a process it did not start.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isSameProcess } from '../../process/proctable.js';
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

export type StateRead = { kind: 'absent' } | { kind: 'ok'; state: ClusterState } | { kind: 'corrupt'; reason: string };

const MAX_STATE_BYTES = 1024 * 1024;

/** Reads and checks the state file: a truncated or foreign one is "corrupt", never taken as "no cluster". */
export function loadState(dir: string): StateRead {
  const f = stateFile(dir);
  if (!existsSync(f)) return { kind: 'absent' };
  try {
    if (statSync(f).size > MAX_STATE_BYTES) return { kind: 'corrupt', reason: 'larger than 1 MiB' };
    const s = JSON.parse(readFileSync(f, 'utf8')) as unknown;
    const why = invalid(s);
    return why ? { kind: 'corrupt', reason: why } : { kind: 'ok', state: s as ClusterState };
  } catch (e) {
    return { kind: 'corrupt', reason: (e as Error).message };
  }
}

function invalid(s: unknown): string | undefined {
  if (typeof s !== 'object' || s === null) return 'not an object';
  const o = s as Record<string, unknown>;
  if (o['version'] !== 1) return `unknown version ${JSON.stringify(o['version'])}`;
  if (typeof o['dir'] !== 'string' || typeof o['cluster'] !== 'string') return 'no cluster or dir';
  if (!Array.isArray(o['components'])) return 'no component list';
  for (const c of o['components'] as unknown[]) {
    const r = c as Record<string, unknown>;
    const ok =
      typeof r?.['name'] === 'string' &&
      Number.isInteger(r['pid']) &&
      (r['pid'] as number) > 1 &&
      Number.isInteger(r['startTime']) &&
      Array.isArray(r['argv']) &&
      typeof r['logFile'] === 'string';
    if (!ok) return `a malformed component record: ${JSON.stringify(c).slice(0, 100)}`;
  }
  return undefined;
}

export function readState(dir: string): ClusterState | undefined {
  const r = loadState(dir);
  return r.kind === 'ok' ? r.state : undefined;
}

export function writeState(s: ClusterState): void {
  writeFileAtomic(stateFile(s.dir), JSON.stringify(s, null, 2) + '\n');
}
