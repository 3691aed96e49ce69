// The run-state file split invocations share (<rundir>/kubetest-run.json): `kubetest --up` records the Boskos
// lease and the detached heartbeat that keeps it; `--test` and `--down` in the same run dir pick them up.
// Read as hostile input: bounded, checked field by field; a bad file is an error, never "no lease".
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic.js';

export interface LeaseRecord {
  url: string;
  owner: string;
  name: string;
  type: string;
  acquiredAtMs: number;
}

export interface HeartbeatRecord {
  pid: number;
  startTime: number;
  logFile: string;
  statusFile: string;
  untilMs: number;
}

export interface RunState {
  version: 1;
  lease: LeaseRecord;
  heartbeat?: HeartbeatRecord;
  kubeconfig?: string;
}

const MAX_BYTES = 64 * 1024;

export function runStateFile(runDir: string): string {
  return join(runDir, 'kubetest-run.json');
}

export function readRunState(runDir: string): RunState | undefined {
  const f = runStateFile(runDir);
  if (!existsSync(f)) return undefined;
  if (statSync(f).size > MAX_BYTES) throw new Error(`${f} is larger than 64 KiB: not a run state`);
  let s: unknown;
  try {
    s = JSON.parse(readFileSync(f, 'utf8'));
  } catch (e) {
    throw new Error(`${f} is not valid JSON (${(e as Error).message}): remove it if no lease is held`);
  }
  const why = invalid(s);
  if (why) throw new Error(`${f} is not a run state (${why}): remove it if no lease is held`);
  return s as RunState;
}

export function writeRunState(runDir: string, s: RunState): void {
  writeFileAtomic(runStateFile(runDir), JSON.stringify(s, null, 2) + '\n', 0o600);
}

export function removeRunState(runDir: string): void {
  rmSync(runStateFile(runDir), { force: true });
}

const isStr = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length < 4096;
const isNum = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function invalid(s: unknown): string | undefined {
  if (typeof s !== 'object' || s === null) return 'not an object';
  const o = s as Record<string, unknown>;
  if (o['version'] !== 1) return 'unknown version';
  const l = o['lease'] as Record<string, unknown> | undefined;
  if (typeof l !== 'object' || l === null) return 'no lease';
  for (const k of ['url', 'owner', 'name', 'type']) if (!isStr(l[k])) return `lease.${k} missing`;
  if (!isNum(l['acquiredAtMs'])) return 'lease.acquiredAtMs missing';
  const h = o['heartbeat'] as Record<string, unknown> | undefined;
  if (h !== undefined) {
    if (typeof h !== 'object' || h === null) return 'heartbeat is not an object';
    for (const k of ['pid', 'startTime', 'untilMs']) if (!isNum(h[k])) return `heartbeat.${k} missing`;
    for (const k of ['logFile', 'statusFile']) if (!isStr(h[k])) return `heartbeat.${k} missing`;
  }
  return undefined;
}
