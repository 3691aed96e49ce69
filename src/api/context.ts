// The narrow context a step or plug-in gets, and what it hands back. Plug-ins never write into the run:
// they return a StepOutput and the engine merges it (kubetest2's and kind's shape).
import type { Exec } from './exec.js';
import type { Logger } from './logger.js';

export interface StepContext {
  /** The junit name of the running step. */
  stepName: string;
  /** This step's log file (children's output is teed here). */
  logFile: string;
  /** Aborts at the deadline or on a signal (for cleanup steps: only at terminate). */
  signal: AbortSignal;
  /** The step runs during cleanup (dump, teardown). */
  cleanup: boolean;
  /** The directory kubetest was started in. */
  workDir: string;
  /** Per-run state shared by split invocations: <workDir>/_rundir. */
  runDir: string;
  /** The kubernetes/ tree scripts and tests run from. */
  kubeRoot: string;
  /** The env children get, as it stands when the step starts (read-only). */
  env: Readonly<NodeJS.ProcessEnv>;
  logger: Logger;
  /** Runs a child with the run's env and cwd (kubeRoot), teed to this step's log. */
  exec: Exec;
  log(msg: string): void;
}

/** What a step hands back; the engine merges it into the run for the steps after it. */
export interface StepOutput {
  /** Variables to export to later steps' children. */
  env?: Readonly<Record<string, string>>;
  /** The cluster's kubeconfig: exported as KUBECONFIG and used by --save. */
  kubeconfig?: string;
}
