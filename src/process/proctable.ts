// Reads the Linux process table so that we can find every process a child left behind: members of its
// session (setsid gives each child its own), even those that moved to another process group, and
// descendants that are still attached to it.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { sleep } from '../util/sleep.js';

export interface ProcInfo {
  pid: number;
  /** Start time in clock ticks after boot (field 22 of /proc/<pid>/stat): tells a reused pid apart. */
  startTime: number;
  ppid: number;
  pgid: number;
  sid: number;
  comm: string;
  state: string;
}

export function readProc(pid: number): ProcInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const f = stat.slice(close + 2).split(' ');
    return {
      pid,
      state: f[0]!,
      ppid: Number(f[1]),
      pgid: Number(f[2]),
      sid: Number(f[3]),
      startTime: Number(f[19]),
      comm,
    };
  } catch {
    return undefined;
  }
}

export function listProcs(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const p = readProc(Number(name));
    if (p && p.state !== 'Z') out.push(p);
  }
  return out;
}

/** Live (non-zombie) processes in session `sid` plus live descendants of `root`. */
export function processesOf(root: number, procs: ProcInfo[] = listProcs()): ProcInfo[] {
  const found = new Map<number, ProcInfo>();
  for (const p of procs) if (p.sid === root || p.pid === root) found.set(p.pid, p);
  const children = new Map<number, ProcInfo[]>();
  for (const p of procs) {
    const list = children.get(p.ppid) ?? [];
    list.push(p);
    children.set(p.ppid, list);
  }
  const queue = [root, ...found.keys()];
  while (queue.length) {
    const pid = queue.shift()!;
    for (const c of children.get(pid) ?? []) {
      if (!found.has(c.pid)) {
        found.set(c.pid, c);
        queue.push(c.pid);
      }
    }
  }
  return [...found.values()];
}

export function isAlive(pid: number): boolean {
  const p = readProc(pid);
  return p !== undefined && p.state !== 'Z';
}

/** Sends `signal` to every process of the child's session/tree and to their process groups. */
export function signalTree(root: number, signal: NodeJS.Signals): number {
  const procs = processesOf(root);
  const groups = new Set<number>();
  for (const p of procs) {
    groups.add(p.pgid);
    try {
      process.kill(p.pid, signal);
    } catch {
      /* already gone */
    }
  }
  for (const g of groups) {
    if (g > 1 && g !== process.pid) {
      try {
        process.kill(-g, signal);
      } catch {
        /* already gone */
      }
    }
  }
  return procs.length;
}

/**
 * SIGTERM the tree, wait up to `graceMs`, then SIGKILL what is left; resolves when nothing is left, saying
 * whether there was nothing to stop, it stopped on SIGTERM, or it had to be killed.
 */
export async function killTree(root: number, graceMs: number): Promise<'gone' | 'stopped' | 'killed'> {
  if (processesOf(root).length === 0) return 'gone';
  signalTree(root, 'SIGTERM');
  const until = Date.now() + graceMs;
  while (Date.now() < until) {
    if (processesOf(root).length === 0) return 'stopped';
    await sleep(50);
  }
  for (let i = 0; i < 40 && signalTree(root, 'SIGKILL') > 0; i++) await sleep(50);
  return 'killed';
}

export { sleep } from '../util/sleep.js';

/**
 * Live processes that belong to any of the directories: their working directory is in one, or an argument names a path
 * in it. This is how a cluster's daemons are found when its state file cannot be trusted; a process
 * outside the directory is never returned.
 */
export function processesUnder(...dirs: string[]): ProcInfo[] {
  const roots = dirs.map((d) => d.replace(/\/+$/, ''));
  const inside = (p: string) => roots.some((r) => p === r || p.startsWith(`${r}/`));
  const named = (a: string) => roots.some((r) => a.includes(`=${r}/`) || a.endsWith(`=${r}`));
  const out: ProcInfo[] = [];
  for (const p of listProcs()) {
    if (p.pid === process.pid) continue;
    try {
      if (inside(readlinkSync(`/proc/${p.pid}/cwd`))) {
        out.push(p);
        continue;
      }
      const args = readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').split('\0');
      if (args.some((a) => inside(a) || named(a))) out.push(p);
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

export function processStartTime(pid: number): number | undefined {
  return readProc(pid)?.startTime;
}

/** True if `pid` is still the process we started (same start time), and not a zombie. */
export function isSameProcess(pid: number, startTime: number): boolean {
  const p = readProc(pid);
  return p !== undefined && p.state !== 'Z' && p.startTime === startTime;
}
