// Long-running components (etcd, kube-apiserver, kwok, ...) that outlive a step and, in split
// up/test/down invocations, outlive kubetest itself. They write straight to their log file, so they do not
// depend on our pipes; whoever starts one records its pid (and start time) in a state file.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { processStartTime } from './proctable.js';

export interface DaemonOptions {
  logFile: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export interface DaemonHandle {
  pid: number;
  /** Kernel start time (clock ticks since boot): with the pid, identifies the process across pid reuse. */
  startTime: number;
  argv: readonly string[];
  logFile: string;
}

export function startDaemon(argv: readonly string[], opts: DaemonOptions): Promise<DaemonHandle> {
  mkdirSync(dirname(opts.logFile), { recursive: true });
  const fd = openSync(opts.logFile, 'a');
  try {
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    return new Promise((resolve, reject) => {
      child.once('error', (err) => reject(new Error(`cannot start ${argv[0]}: ${err.message}`)));
      child.once('spawn', () => {
        child.unref();
        const pid = child.pid!;
        resolve({ pid, startTime: processStartTime(pid) ?? 0, argv, logFile: opts.logFile });
      });
    });
  } finally {
    closeSync(fd);
  }
}
