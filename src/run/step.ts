import type { RunContext } from './context.js';
import type { RunOptions, RunResult } from '../process/run.js';

/** What a step's function gets: the run, its own log file, and an abort signal for the deadline/signals. */
export interface StepContext {
  run: RunContext;
  stepName: string;
  logFile: string;
  signal: AbortSignal;
  cleanup: boolean;
  /** Runs a child with the run's env and cwd, teed to this step's log. */
  exec(argv: readonly string[], opts?: RunOptions): Promise<RunResult>;
  log(msg: string): void;
}

export interface Step {
  /** Unique within a plan (junit names can repeat, e.g. "test setup"). */
  id: string;
  /** The junit testcase name (kubetest's step names). */
  name: string;
  /** Runs after an interrupt (deadline or signal), within the cleanup grace: dump, teardown, leak checks. */
  cleanup?: boolean;
  /** From the moment it starts there may be a cluster to dump and tear down (Up, TearDown Previous). */
  touchesCluster?: boolean;
  /** A failure skips every later non-cleanup step (build, extract, teardown of the previous cluster, up). */
  abortOnFailure?: boolean;
  /** Ids of steps that must have succeeded. */
  requires?: string[];
  /** Decided when the step's turn comes; false means it does not run and is not reported. */
  when?: (state: RunState) => boolean;
  /** Commands the step will run, as far as they are known before the run (for --dry-run). */
  commands?: () => string[][];
  /** Runs only to recover from an earlier failure (Deferred TearDown): not part of the printed plan. */
  contingency?: boolean;
  /** Steps run right after this one fails (kubetest's "DumpClusterLogs (--up failed)"). */
  onFailure?: Step[];
  run: (sc: StepContext) => Promise<void>;
}

export type StepStatus = 'ok' | 'failed' | 'skipped';

export interface StepResult {
  id: string;
  name: string;
  status: StepStatus;
  durationMs: number;
  message?: string;
  output?: string;
}

export interface RunState {
  results: Map<string, StepResult>;
  aborted: boolean;
  /** Up (or TearDown Previous) started: there may be a cluster to dump and tear down. */
  clusterTouched: boolean;
  failures: number;
}

export function ok(state: RunState, id: string): boolean {
  return state.results.get(id)?.status === 'ok';
}
