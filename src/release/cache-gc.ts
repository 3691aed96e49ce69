// Keeps the extract cache bounded: CI machines extract many releases (a new ci/latest every run) and must
// not fill their disks. Least recently used entries go first; anything used in the last minutes stays
// (another kubetest may be linking it right now).
import { existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';

export interface CacheLimits {
  /** Extracted trees kept (each is a whole unpacked release). */
  keepTrees: number;
  /** Downloaded tarballs kept, in bytes. */
  maxDownloadBytes: number;
  /** Entries used more recently than this are never removed. */
  minAgeMs: number;
}

export function cacheLimits(env: NodeJS.ProcessEnv): CacheLimits {
  const num = (v: string | undefined, d: number) => (v && Number.isFinite(Number(v)) && Number(v) >= 0 ? Number(v) : d);
  return {
    keepTrees: num(env['KUBETEST_CACHE_KEEP_TREES'], 3),
    maxDownloadBytes: num(env['KUBETEST_CACHE_MAX_DOWNLOAD_GB'], 5) * 1e9,
    minAgeMs: 10 * 60_000,
  };
}

/** Marks a cache entry as used now (its mtime is the LRU clock). */
export function touch(path: string): void {
  try {
    const now = new Date();
    utimesSync(path, now, now);
  } catch {
    // gone meanwhile: nothing to keep fresh
  }
}

interface Entry { name: string; usedMs: number; bytes: number }

function mtime(p: string): number | undefined {
  try {
    return statSync(p).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Removes what is over the limits; returns the names removed (trees/<key>, downloads/<key>). */
export function pruneCache(cacheDir: string, limits: CacheLimits, now = Date.now()): string[] {
  const removed: string[] = [];
  const trees = join(cacheDir, 'trees');
  if (existsSync(trees)) {
    const names = readdirSync(trees);
    const entries: Entry[] = names
      .filter((n) => /^[0-9a-f]{32}$/.test(n))
      .map((n) => ({ name: n, usedMs: mtime(join(trees, `${n}.json`)) ?? mtime(join(trees, n)) ?? 0, bytes: 0 }))
      .sort((a, b) => b.usedMs - a.usedMs);
    for (const e of entries.slice(limits.keepTrees)) {
      if (now - e.usedMs < limits.minAgeMs) continue;
      rmSync(join(trees, `${e.name}.json`), { force: true });
      rmSync(join(trees, e.name), { recursive: true, force: true });
      removed.push(`trees/${e.name}`);
    }
    // Stale temp trees of a crashed kubetest, and guesses that point at nothing.
    for (const n of names) {
      const p = join(trees, n);
      const used = mtime(p) ?? now;
      if (n.includes('.tmp-') && now - used > limits.minAgeMs) rmSync(p, { recursive: true, force: true });
      if (n.endsWith('.last')) {
        let key = '';
        try {
          key = readFileSync(p, 'utf8').trim();
        } catch {
          continue;
        }
        if (!existsSync(join(trees, key))) rmSync(p, { force: true });
      }
    }
  }
  const downloads = join(cacheDir, 'downloads');
  if (existsSync(downloads)) {
    const entries: Entry[] = readdirSync(downloads)
      .map((n) => {
        const blob = join(downloads, n, 'blob');
        return { name: n, usedMs: mtime(join(downloads, n, 'meta.json')) ?? mtime(join(downloads, n)) ?? 0, bytes: existsSync(blob) ? statSync(blob).size : 0 };
      })
      .sort((a, b) => b.usedMs - a.usedMs);
    let total = 0;
    for (const e of entries) {
      total += e.bytes;
      if (total <= limits.maxDownloadBytes || now - e.usedMs < limits.minAgeMs) continue;
      rmSync(join(downloads, e.name), { recursive: true, force: true });
      removed.push(`downloads/${e.name}`);
    }
  }
  return removed;
}
