// A lock file held by one live process: created with O_EXCL, holding "pid startTime". A lock whose holder is
// gone (pid dead, or reused by another process) is taken over; a live holder is named in the error.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { readProc } from './proctable.js';

export class LockHeld extends Error {
  override name = 'LockHeld';
  constructor(
    readonly path: string,
    readonly holder: number,
  ) {
    super(`${path} is held by process ${holder}`);
  }
}

function holderOf(path: string): { pid: number; startTime: number } | undefined {
  try {
    const [pid, startTime] = readFileSync(path, 'utf8').trim().split(/\s+/).map(Number);
    if (!Number.isInteger(pid) || !Number.isInteger(startTime)) return undefined;
    return { pid: pid!, startTime: startTime! };
  } catch {
    return undefined;
  }
}

function alive(h: { pid: number; startTime: number }): boolean {
  const p = readProc(h.pid);
  return p !== undefined && p.state !== 'Z' && p.startTime === h.startTime;
}

/** Takes the lock or throws LockHeld; returns the release function. */
export function acquirePidLock(path: string): () => void {
  const me = readProc(process.pid);
  const line = `${process.pid} ${me?.startTime ?? 0}\n`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      try {
        writeSync(fd, line);
      } finally {
        closeSync(fd);
      }
      return () => {
        if (holderOf(path)?.pid === process.pid) rmSync(path, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const h = holderOf(path);
      if (h && alive(h)) throw new LockHeld(path, h.pid);
      // A dead holder (or a torn write): remove its lock and try again.
      rmSync(path, { force: true });
    }
  }
  throw new Error(`could not take the lock ${path}`);
}
