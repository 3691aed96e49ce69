// Helpers for tests that run real local clusters.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isRunning, type ClusterState } from '../../src/deployers/local/state.js';
import { sleep } from '../../src/process/proctable.js';
import { BASE_ENV, runChild } from './cli.js';
import { peers } from './peers.js';
import { listenersOn, processesMentioning } from './procs.js';
import { tempDir } from './tmp.js';

export function clusterEnv(): NodeJS.ProcessEnv {
  return { ...BASE_ENV, KUBETEST_CACHE_DIR: peers().cacheDir };
}

/** A work dir with the test release extracted into kubernetes/ (from the extract cache: hard links). */
export async function workDirWithRelease(which: 'release' | 'oldRelease' = 'release'): Promise<string> {
  const dir = tempDir('local');
  const r = await runChild([`--extract=file://${peers()[which].dir}`, '--deployment=none'], {
    cwd: dir,
    env: clusterEnv(),
  }).done;
  if (r.code !== 0) throw new Error(`extract failed:\n${r.stderr}`);
  return dir;
}

export function stateOf(workDir: string, cluster = 'local'): ClusterState | undefined {
  const f = join(workDir, '_rundir', 'local', cluster, 'state.json');
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as ClusterState) : undefined;
}

export async function waitForComponents(
  workDir: string,
  n: number,
  cluster = 'local',
  timeoutMs = 120_000,
): Promise<ClusterState> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const s = stateOf(workDir, cluster);
    if (s && s.components.length >= n) return s;
    if (Date.now() > until) throw new Error(`cluster ${cluster} in ${workDir} never reached ${n} components`);
    await sleep(100);
  }
}

/**
 * Nothing the cluster started is running, nothing mentions its dir, and none of its ports has a listener
 * of ours (another test may have been handed the same port by the kernel since: that one is not a leak).
 */
export async function assertClusterGone(s: ClusterState): Promise<void> {
  const alive = s.components.filter(isRunning);
  if (alive.length) throw new Error(`still running: ${alive.map((c) => `${c.name} (${c.pid})`).join(', ')}`);
  const lingering = processesMentioning(s.dir);
  if (lingering.length) throw new Error(`processes still mention ${s.dir}: ${lingering.join(', ')}`);
  const ours = new Set(s.components.map((c) => c.pid));
  for (const c of s.components) {
    const held = c.port ? listenersOn(c.port).filter((p) => ours.has(p)) : [];
    if (held.length) throw new Error(`port ${c.port} of ${c.name} is still bound by pid ${held.join(', ')}`);
  }
  if (existsSync(s.dir)) throw new Error(`${s.dir} was not removed`);
}
