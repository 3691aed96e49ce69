// Keeps the extract cache bounded: CI machines extract many releases (a new ci/latest every run) and must
// not fill their disks. Least recently used entries go first; anything used in the last minutes stays
// (another kubetest may be linking it right now).
import { existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { Knobs } from './knobs.js';

export interface CacheLimits {
  /** Extracted trees kept (each is a whole unpacked release). */
  keepTrees: number;
  /** Downloaded tarballs kept, in bytes. */
  maxDownloadBytes: number;
  /** Entries used more recently than this are never removed. */
  minAgeMs: number;
}

export function cacheLimits(knobs: Pick<Knobs, 'cacheKeepTrees' | 'cacheMaxDownloadGb'>): CacheLimits {
  return {
    keepTrees: knobs.cacheKeepTrees,
    maxDownloadBytes: knobs.cacheMaxDownloadGb * 1e9,
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

interface Entry {
  name: string;
  usedMs: number;
}

function statOf(p: string): Stats | undefined {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}

const mtime = (p: string): number | undefined => statOf(p)?.mtimeMs;

/** Newest first, by the mtime of `usedFile(name)` (touched on every use), else of the entry itself. */
function byLastUse(dir: string, names: string[], usedFile: (name: string) => string): Entry[] {
  return names
    .map((name) => ({ name, usedMs: mtime(join(dir, usedFile(name))) ?? mtime(join(dir, name)) ?? 0 }))
    .sort((a, b) => b.usedMs - a.usedMs);
}

function pruneTrees(trees: string, limits: CacheLimits, now: number): string[] {
  const removed: string[] = [];
  const names = readdirSync(trees);
  const entries = byLastUse(
    trees,
    names.filter((n) => /^[0-9a-f]{32}$/.test(n)),
    (n) => `${n}.json`,
  );
  for (const e of entries.slice(limits.keepTrees)) {
    if (now - e.usedMs < limits.minAgeMs) continue;
    rmSync(join(trees, `${e.name}.json`), { force: true });
    rmSync(join(trees, e.name), { recursive: true, force: true });
    removed.push(`trees/${e.name}`);
  }
  // Stale temp trees of a crashed kubetest, and guesses that point at a removed tree.
  for (const n of names) {
    const p = join(trees, n);
    if (n.includes('.tmp-') && now - (mtime(p) ?? now) > limits.minAgeMs) rmSync(p, { recursive: true, force: true });
    if (n.endsWith('.last') && !existsSync(join(trees, readText(p) || n))) rmSync(p, { force: true });
  }
  return removed;
}

function pruneDownloads(downloads: string, limits: CacheLimits, now: number): string[] {
  const removed: string[] = [];
  let total = 0;
  for (const e of byLastUse(downloads, readdirSync(downloads), (n) => join(n, 'meta.json'))) {
    total += statOf(join(downloads, e.name, 'blob'))?.size ?? 0;
    if (total <= limits.maxDownloadBytes || now - e.usedMs < limits.minAgeMs) continue;
    rmSync(join(downloads, e.name), { recursive: true, force: true });
    removed.push(`downloads/${e.name}`);
  }
  return removed;
}

function readText(p: string): string {
  try {
    return readFileSync(p, 'utf8').trim();
  } catch {
    return '';
  }
}

/** Removes what is over the limits; returns the names removed (trees/<key>, downloads/<key>). */
export function pruneCache(cacheDir: string, limits: CacheLimits, now = Date.now()): string[] {
  const trees = join(cacheDir, 'trees');
  const downloads = join(cacheDir, 'downloads');
  return [
    ...(existsSync(trees) ? pruneTrees(trees, limits, now) : []),
    ...(existsSync(downloads) ? pruneDownloads(downloads, limits, now) : []),
  ];
}
