// Checks before any step runs: every directory the run will write to (--dump, $ARTIFACTS, the cache) can be
// one. A bad one is a usage error (one line naming the path and the reason, exit 2), not a stack trace
// halfway through the run — and never a write into /proc or /sys.
import { accessSync, constants, existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { RunConfig } from './config.js';

const PSEUDO_FS = ['/proc', '/sys', '/dev'];

function underPseudoFs(p: string): string | undefined {
  return PSEUDO_FS.find((root) => p === root || p.startsWith(`${root}/`));
}

/** The nearest existing path at or above p, with symlinks resolved, plus what is left to create below it. */
function nearestExisting(p: string): { existing: string; rest: string } {
  let cur = p;
  while (!existsSync(cur)) {
    const up = dirname(cur);
    if (up === cur) break;
    cur = up;
  }
  let real = cur;
  try {
    real = realpathSync(cur);
  } catch {
    // a dangling symlink: judge the path as written
  }
  return { existing: real, rest: relative(cur, p) };
}

/** Why dir cannot be a directory this run writes into, or undefined when it can. */
export function unusableDirReason(
  dir: string,
  opts: { mustBeWritable: boolean } = { mustBeWritable: true },
): string | undefined {
  const pseudo = underPseudoFs(dir);
  if (pseudo) return `is under ${pseudo}, a kernel pseudo-filesystem: choose a real directory`;
  const { existing, rest } = nearestExisting(dir);
  const resolved = rest ? join(existing, rest) : existing;
  const pseudoReal = underPseudoFs(resolved);
  if (pseudoReal)
    return `resolves to ${resolved}, under ${pseudoReal}, a kernel pseudo-filesystem: choose a real directory`;
  let st;
  try {
    st = statSync(existing);
  } catch (e) {
    return `cannot be used: ${(e as Error).message}`;
  }
  if (!st.isDirectory()) {
    return rest === '' ? 'is a file, not a directory' : `cannot be created: ${existing} is a file, not a directory`;
  }
  if (!opts.mustBeWritable) return undefined;
  try {
    accessSync(existing, constants.W_OK | constants.X_OK);
  } catch {
    return rest === '' ? 'is not writable (permission denied)' : `cannot be created: ${existing} is not writable`;
  }
  return undefined;
}

/** One line for the first unusable directory of the run, or undefined when all are fine. */
export function preflight(cfg: RunConfig, env: NodeJS.ProcessEnv): string | undefined {
  const checks: Array<[label: string, dir: string, writable: boolean]> = [];
  if (cfg.dump) checks.push([`--dump=${cfg.dump}`, cfg.dump, true]);
  if (cfg.artifacts) checks.push([`$ARTIFACTS=${cfg.artifacts}`, cfg.artifacts, true]);
  const cacheLabel = cfg.given.has('cache-dir')
    ? '--cache-dir'
    : env['KUBETEST_CACHE_DIR']
      ? 'KUBETEST_CACHE_DIR'
      : 'cache dir';
  // The cache is only written by steps that need it: a run without them must not fail on an unwritable home.
  checks.push([`${cacheLabel}=${cfg.cacheDir}`, cfg.cacheDir, false]);
  for (const [label, dir, writable] of checks) {
    const why = unusableDirReason(dir, { mustBeWritable: writable });
    if (why) return `${label} ${why}`;
  }
  return undefined;
}
