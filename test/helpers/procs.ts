import { readFileSync } from 'node:fs';
import { isAlive, listProcs } from '../../src/process/proctable.js';
import { sleep } from '../../src/process/proctable.js';

export interface Event { ev: string; t: number; pid: number; grandchild?: number }

export function events(file: string): Event[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Event);
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
  if (alive.length) throw new Error(`still running: ${alive.map((p) => `${p} (${listProcs().find((x) => x.pid === p)?.comm})`).join(', ')}`);
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
