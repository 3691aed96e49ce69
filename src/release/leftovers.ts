// What a kubetest killed mid-extract (kill -9, OOM) leaves: `.kubetest-extract-<pid>` in the work dir,
// `blob.tmp-<pid>-<n>` in the download cache, `trees/<key>.tmp-<pid>` in the tree cache. The next run removes
// those whose pid is dead, and never a live process's (it may be extracting right now).
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** /proc/<pid> exists (a zombie counts as alive: conservative); kill(pid, 0) where there is no /proc. */
function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  if (existsSync('/proc/self')) return existsSync(`/proc/${pid}`);
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function names(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Removes the leftovers of dead pids; returns the paths removed. */
export function removeDeadLeftovers(workDir: string, cacheDir: string): string[] {
  const removed: string[] = [];
  const sweep = (dir: string, re: RegExp) => {
    for (const n of names(dir)) {
      const m = re.exec(n);
      if (!m || pidAlive(Number(m[1]))) continue;
      const p = join(dir, n);
      rmSync(p, { recursive: true, force: true });
      removed.push(p);
    }
  };
  sweep(workDir, /^\.kubetest-extract-(\d+)$/);
  const downloads = join(cacheDir, 'downloads');
  for (const key of names(downloads)) sweep(join(downloads, key), /^blob\.tmp-(\d+)-\d+$/);
  sweep(join(cacheDir, 'trees'), /^[0-9a-f]{32}\.tmp-(\d+)$/);
  return removed;
}
