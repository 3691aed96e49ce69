export interface CommandFailure {
  argv: readonly string[];
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  interrupted: boolean;
  terminated: boolean;
  timedOut: boolean;
  tail: string;
  logFile?: string | undefined;
}

/** A child that exited non-zero, was killed, or could not start. The message is kubetest's shape. */
export class CommandError extends Error {
  override name = 'CommandError';
  constructor(
    readonly failure: CommandFailure,
    cause?: string,
  ) {
    super(CommandError.describe(failure, cause));
  }

  static describe(f: CommandFailure, cause?: string): string {
    const what = f.terminated ? ' (terminated)' : f.interrupted ? ' (interrupted)' : f.timedOut ? ' (timed out)' : '';
    const why = cause ?? (f.signal ? `signal: ${signalName(f.signal)}` : `exit status ${f.exitCode}`);
    return `error during ${formatArgv(f.argv)}${what}: ${why}`;
  }
}

function signalName(sig: NodeJS.Signals): string {
  switch (sig) {
    case 'SIGKILL':
      return 'killed';
    case 'SIGINT':
      return 'interrupt';
    case 'SIGTERM':
      return 'terminated';
    default:
      return sig;
  }
}

/** Shell-quoted rendering for logs only; commands are never run through a shell. */
export function formatArgv(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** A step failure with a one-line message for the user and details (output tail) for the junit case. */
export class StepFailure extends Error {
  override name = 'StepFailure';
  constructor(
    message: string,
    readonly output?: string,
  ) {
    super(message);
  }
}

/** The output tail an error carries, if any (CommandError or StepFailure). */
export function errorOutput(e: unknown): string | undefined {
  if (e instanceof CommandError) return e.failure.tail;
  if (e instanceof StepFailure) return e.output;
  return undefined;
}
