// Builds a Go program from its module at a pinned version, in a throw-away wrapper module, into the cache:
// <cache>/tools/<name>-<version>/<name>. Used for kwok and etcd (the local deployer) and for the real
// peers the tests run (fake-gcs-server, gofakes3, boskos). A lock keeps concurrent builds apart.
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import lockfile from 'proper-lockfile';
import type { RunOptions, RunResult } from '../../process/run.js';
import { goCacheEnv } from './goenv.js';

export type Exec = (argv: readonly string[], opts?: RunOptions) => Promise<RunResult>;

export interface GoToolSpec {
  /** Binary name. */
  name: string;
  module: string;
  version: string;
  /** Package to build (default: the module root). */
  pkg?: string;
  /** Extra `go build` flags (e.g. ["-tags", "no_btrfs"]). */
  buildFlags?: string[];
  ldflags?: string;
}

export function toolPath(cacheDir: string, spec: GoToolSpec): string {
  return join(cacheDir, 'tools', `${spec.name}-${spec.version}`, spec.name);
}

/** Holds `<path>.lock` (a directory, refreshed while held; stale after a minute if its owner died). */
export async function withLock<T>(path: string, fn: () => Promise<T>, onWait?: () => void): Promise<T> {
  mkdirSync(dirname(path), { recursive: true });
  const opts = { realpath: false, lockfilePath: `${path}.lock`, stale: 60_000, update: 10_000 };
  let release: (() => Promise<void>) | undefined;
  try {
    release = await lockfile.lock(path, { ...opts, retries: { retries: 0 } });
  } catch {
    onWait?.();
    release = await lockfile.lock(path, {
      ...opts,
      retries: { retries: 2000, factor: 1, minTimeout: 1000, maxTimeout: 1000 },
    });
  }
  try {
    return await fn();
  } finally {
    await release();
  }
}

/**
 * What `cached` finds, or else `make`'s result, made once: under the lock, a run that waited for another finds
 * that run's result instead of making it again. For cache entries that several runs may want at once.
 */
export async function makeOnce<T>(
  lockPath: string,
  cached: () => T | undefined,
  make: () => Promise<T>,
  onWait?: () => void,
): Promise<T> {
  const found = cached();
  if (found !== undefined) return found;
  return withLock(lockPath, async () => cached() ?? (await make()), onWait);
}

/** For makeOnce: the path, once it exists. */
export const existingPath = (path: string) => (): string | undefined => (existsSync(path) ? path : undefined);

export async function buildGoTool(
  exec: Exec,
  cacheDir: string,
  spec: GoToolSpec,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const out = toolPath(cacheDir, spec);
  const dir = join(cacheDir, 'tools', `${spec.name}-${spec.version}`);
  return makeOnce(dir, existingPath(out), async () => {
    const work = join(cacheDir, 'work', `${spec.name}-${spec.version}`);
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    writeFileSync(join(work, 'go.mod'), `module local/kubetest-tool\n\ngo 1.22\n`);
    const goEnv = goCacheEnv(cacheDir, env);
    const pkg = spec.pkg ?? spec.module;
    await exec(['go', 'get', `${pkg}@${spec.version}`], { cwd: work, env: goEnv });
    mkdirSync(dir, { recursive: true });
    const tmp = join(dir, `.${spec.name}.tmp`);
    await exec(
      ['go', 'build', '-trimpath', ...(spec.buildFlags ?? []), '-ldflags', spec.ldflags ?? '-s -w', '-o', tmp, pkg],
      { cwd: work, env: goEnv },
    );
    renameSync(tmp, out);
    rmSync(work, { recursive: true, force: true });
    return out;
  });
}
