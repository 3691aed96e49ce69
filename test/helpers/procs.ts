import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { isAlive, listProcs } from '../../src/process/proctable.js';
import { sleep } from '../../src/process/proctable.js';

export interface Event {
  ev: string;
  t: number;
  pid: number;
  grandchild?: number;
}

export function events(file: string): Event[] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Event);
  } catch {
    return [];
  }
}

export async function waitForEvent(file: string, ev: string, timeoutMs = 20_000): Promise<Event> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const e = events(file).find((x) => x.ev === ev);
    if (e) return e;
    if (Date.now() > until) throw new Error(`no ${ev} event in ${file}`);
    await sleep(50);
  }
}

/** Every pid given must be gone (a zombie counts as gone). */
export function assertGone(pids: number[]): void {
  const alive = pids.filter((p) => isAlive(p));
  if (alive.length)
    throw new Error(
      `still running: ${alive.map((p) => `${p} (${listProcs().find((x) => x.pid === p)?.comm})`).join(', ')}`,
    );
}

/** Processes whose command line mentions `needle` (e.g. a temp dir of the test). */
export function processesMentioning(needle: string): number[] {
  const out: number[] = [];
  for (const p of listProcs()) {
    try {
      const cmd = readFileSync(`/proc/${p.pid}/cmdline`, 'utf8');
      if (cmd.includes(needle) && p.pid !== process.pid) out.push(p.pid);
    } catch {
      // gone
    }
  }
  return out;
}

/**
 * Pids of the processes with a listening TCP socket on `port` (any address). A port that is merely in use
 * as the local end of some other process's outgoing connection is not a listener: concurrent tests make
 * many connections, and the kernel hands out ports from the same range our clusters pick from.
 */
export function listenersOn(port: number): number[] {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || f[3] !== '0A') continue;
      if (parseInt(f[1]!.split(':')[1]!, 16) === port) inodes.add(f[9]!);
    }
  }
  if (inodes.size === 0) return [];
  const pids: number[] = [];
  for (const p of listProcs()) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${p.pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let link = '';
      try {
        link = readlinkSync(`/proc/${p.pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(link);
      if (m && inodes.has(m[1]!)) {
        pids.push(p.pid);
        break;
      }
    }
  }
  return pids;
}
