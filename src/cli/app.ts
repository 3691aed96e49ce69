// kubetest: parse → plan → (print the plan | run it) → exit code.
import { parseCommandLine, UnknownFlagUsageError } from './config.js';
import { UsageError } from './goflags.js';
import { helpText } from './help.js';
import { KUBETEST_VERSION } from '../version.js';
import { parseFailpoints } from '../run/failpoints.js';
import { stderrFdLogger, stderrLogger } from '../run/logger.js';
import { stderrFd, stdoutFd, type Out } from '../util/stdio.js';

export interface Io {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  /** Signals the run handles (tests drive the control themselves). */
  signals?: NodeJS.Signals[];
}

export async function main(argv: readonly string[], io: Io = {}): Promise<number> {
  const env = io.env ?? process.env;
  const cwd = io.cwd ?? process.cwd();
  // Until a run starts, kubetest writes to fds 1 and 2 directly: a dry run never builds process.stdout/stderr.
  const stdout: Out = io.stdout ?? stdoutFd;
  const stderr: Out = io.stderr ?? stderrFd;
  const log = io.stderr ? stderrLogger(io.stderr) : stderrFdLogger();
  let cfg;
  try {
    cfg = parseCommandLine(argv, { env, cwd });
    parseFailpoints(env['KUBETEST_FAILPOINTS']);
  } catch (e) {
    if (e instanceof UnknownFlagUsageError) {
      const { suggestion } = await import('./suggest.js');
      stderr.write(`kubetest: ${e.message}${suggestion(e.flag)}\n`);
      return 2;
    }
    if (e instanceof UsageError) {
      stderr.write(`kubetest: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (cfg.help) {
    stdout.write(helpText());
    return 0;
  }
  if (cfg.version) {
    stdout.write(`kubetest ${KUBETEST_VERSION}\n`);
    return 0;
  }
  if (cfg.rerunFailed) {
    const { applyRerunFailed } = await import('./rerun.js');
    try {
      const { specs, files } = applyRerunFailed(cfg);
      log.info(`--rerun-failed: ${specs} failed spec(s) from ${files.join(', ')}`);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      stderr.write(`kubetest: ${e.message}\n`);
      return 2;
    }
  }
  // The run's modules load after --help and --version have had their (fast) turn.
  const { runConfigured } = await import('./run.js');
  const runStderr = () => io.stderr ?? process.stderr;
  return runConfigured(cfg, { env, stdout, stderr, log, runStderr, ...(io.signals ? { signals: io.signals } : {}) });
}
