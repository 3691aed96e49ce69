// Runs the real kubetest CLI under a hard deadline (a hang is a failure, not a stuck test) and samples its
// peak memory (VmHWM) from /proc while it runs.
import { readFileSync } from 'node:fs';
import { runChild } from './cli.js';

export interface WatchedRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Peak resident set size seen, in bytes. */
  peakRss: number;
  /** True when the deadline killed it. */
  hung: boolean;
}

function hwm(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export async function runWatched(
  argv: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; deadlineMs: number },
): Promise<WatchedRun> {
  const child = runChild(argv, { cwd: opts.cwd, env: opts.env });
  let peakRss = 0;
  let hung = false;
  const sample = setInterval(() => (peakRss = Math.max(peakRss, hwm(child.pid))), 50);
  const deadline = setTimeout(() => {
    hung = true;
    child.kill('SIGKILL');
  }, opts.deadlineMs);
  try {
    const r = await child.done;
    return { ...r, peakRss, hung };
  } finally {
    clearInterval(sample);
    clearTimeout(deadline);
  }
}
