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

/**
 * A process that still holds what it opened. Its main thread shows as a zombie as soon as it exits, while the
 * other threads of an exiting multi-threaded process (a Go daemon after os.Exit) may still hold its files and
 * listening sockets; it is gone only when no thread is left.
 */
function isLive(p: ProcInfo): boolean {
  if (p.state !== 'Z') return true;
  try {
    return readdirSync(`/proc/${p.pid}/task`).length > 1;
  } catch {
    return false;
  }
}

export function listProcs(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const p = readProc(Number(name));
    if (p && isLive(p)) out.push(p);
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
  return p !== undefined && isLive(p);
}

/**
 * Where to send a signal so that each process of `procs` gets it once: their process groups (a negative pid; it
 * also reaches a process forked after the listing), and each process whose group is not signalled (ours or
 * init's). Once matters: a second SIGTERM or SIGINT tells a Go daemon or ginkgo to skip its cleanup.
 */
export function signalTargets(procs: readonly ProcInfo[], ownGroup: number | undefined): number[] {
  const groups = new Set(procs.map((p) => p.pgid).filter((g) => g > 1 && g !== ownGroup));
  return [...[...groups].map((g) => -g), ...procs.filter((p) => !groups.has(p.pgid)).map((p) => p.pid)];
}

/** Sends `signal` once to every process of the child's session/tree; returns how many there were. */
export function signalTree(root: number, signal: NodeJS.Signals): number {
  const procs = processesOf(root);
  for (const target of signalTargets(procs, readProc(process.pid)?.pgid)) {
    try {
      process.kill(target, signal);
    } catch {
      /* already gone */
    }
  }
  return procs.length;
}

/**
 * SIGTERM the tree, wait up to `graceMs`, then SIGKILL what is left; resolves when nothing is left, saying
 * whether there was nothing to stop, it stopped on SIGTERM, or it had to be killed. `released` says when a daemon
 * has let go of what matters (it closed its listener): the rest of its graceful shutdown (kube-apiserver drains
 * watch connections for 10 s and more) is then cut short by a second SIGTERM, which Kubernetes components take as
 * "exit now", and SIGKILL if that is not enough.
 */
export async function killTree(
  root: number,
  graceMs: number,
  released?: () => Promise<boolean>,
): Promise<'gone' | 'stopped' | 'killed'> {
  if (processesOf(root).length === 0) return 'gone';
  signalTree(root, 'SIGTERM');
  let until = Date.now() + graceMs;
  let pending = released;
  while (Date.now() < until) {
    if (processesOf(root).length === 0) return 'stopped';
    if (pending && (await pending())) {
      pending = undefined;
      signalTree(root, 'SIGTERM');
      until = Math.min(until, Date.now() + EXIT_AFTER_RELEASE_MS);
    }
    await sleep(50);
  }
  for (let i = 0; i < 40 && signalTree(root, 'SIGKILL') > 0; i++) await sleep(50);
  return 'killed';
}

const EXIT_AFTER_RELEASE_MS = 1000;

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
  return p !== undefined && isLive(p) && p.startTime === startTime;
}
