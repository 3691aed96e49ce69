// What a step or plug-in may ask of the run's child-process runner (implemented by process/run.ts).

export interface ExecOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Append output here (created with its directory). */
  logFile?: string;
  /** Also stream output to our stderr. */
  verbose?: boolean;
  /** Keep stdout in the result (it is still logged). */
  captureStdout?: boolean;
  input?: string | Buffer;
  /** Per-command limit; SIGINT at the limit, SIGKILL 10 s later. */
  timeoutMs?: number;
  /** Cleanup steps are not interrupted by the deadline/first signal, only killed at terminate. */
  cleanup?: boolean;
  /** A final step's child: runs even after kubetest was terminated, and is then bounded by timeoutMs only. */
  final?: boolean;
  /** How long an interrupted child gets after SIGINT before SIGKILL (default: until terminate). */
  interruptGraceMs?: number;
  /** Sees every chunk of output (stdout and stderr) before it is streamed (e.g. to parse progress from it). */
  onOutput?: (chunk: Buffer) => void;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  tail: string;
  durationMs: number;
}

export type Exec = (argv: readonly string[], opts?: ExecOptions) => Promise<ExecResult>;
