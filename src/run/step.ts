// Steps of the lifecycle as the engine sees them, and the context a core step (extract, build, save …) gets:
// the plug-in context of api/context.ts plus a read-only view of the run. Steps return what they produce.
import type { StepContext, StepOutput } from '../api/context.js';
import type { Deployer } from '../api/deployer.js';
import type { RunConfig } from './config.js';

export interface ExtractedRelease {
  arg: string;
  dir: string;
  version: string;
  releaseUrl: string;
}

export interface BuiltRelease {
  version: string;
  dir: string;
}

/** What a core step may read of the run (never write: it returns a RunStepOutput). */
export interface RunView {
  readonly cfg: RunConfig;
  readonly deployer: Deployer;
  readonly extracted: readonly ExtractedRelease[];
  readonly builtRelease: BuiltRelease | undefined;
  readonly reportDirs: readonly string[];
}

export interface RunStepContext extends StepContext {
  run: RunView;
}

export interface RunStepOutput extends StepOutput {
  /** The kubernetes/ tree the later steps run from (Extract). */
  kubeRoot?: string;
  extracted?: ExtractedRelease[];
  builtRelease?: BuiltRelease;
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
  /**
   * Runs even after kubetest was terminated, with FINAL_STEP_BUDGET_MS of its own: 'always' (a lease is
   * released; TearDown of a deployer whose teardown is local), or 'unless-killed' (TearDown: after the cleanup
   * grace ran out, but not after a second signal).
   */
  final?: 'always' | 'unless-killed';
  /** Steps run right after this one fails (kubetest's "DumpClusterLogs (--up failed)"). */
  onFailure?: Step[];
  run: (sc: RunStepContext) => Promise<RunStepOutput | void>;
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

/** The same step context with more env for its children (e.g. $KUBECTL before the deployer's Up). */
export function extendEnv<C extends StepContext>(sc: C, extra: Readonly<Record<string, string>>): C {
  const env = Object.freeze({ ...sc.env, ...extra });
  return { ...sc, env, exec: (argv, opts = {}) => sc.exec(argv, { env, ...opts }) };
}
