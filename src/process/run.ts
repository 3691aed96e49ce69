// Every child process goes through here: argv arrays (no shell), a session and process group of its own,
// output teed to the step log and kept as a tail, and tied to the run's deadline and signals.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { CommandError, formatArgv } from './errors.js';
import { killTree, processesOf, signalTree } from './proctable.js';
import { Tail } from './tail.js';
import type { ExecOptions as RunOptions, ExecResult as RunResult } from '../api/exec.js';

/** What a runner needs from the run's control (deadline and signals); see run/control.ts. */
export interface ProcessControl {
  state: 'running' | 'interrupted' | 'terminated';
  on(event: 'interrupt' | 'terminate', fn: () => void): unknown;
  off(event: 'interrupt' | 'terminate', fn: () => void): unknown;
}

export type { ExecOptions as RunOptions, ExecResult as RunResult } from '../api/exec.js';

export class ProcessRunner {
  constructor(private readonly control?: ProcessControl) {}

  async run(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
    if (argv.length === 0 || !argv[0]) throw new Error('empty command');
    const started = Date.now();
    const tail = new Tail();
    const base = {
      argv,
      exitCode: null,
      signal: null,
      interrupted: false,
      terminated: false,
      timedOut: false,
      logFile: opts.logFile,
    };
    const state = this.control?.state;
    if ((state === 'terminated' && !opts.final) || (state === 'interrupted' && !opts.cleanup && !opts.final)) {
      throw new CommandError(
        { ...base, tail: '', terminated: true },
        `skipped ${formatArgv(argv)} (kubetest is terminated)`,
      );
    }
    const log = opts.logFile ? openLog(opts.logFile) : undefined;
    if (log && !log.destroyed) log.write(`$ ${formatArgv(argv)}\n`);
    const stdoutChunks: Buffer[] = [];
    const child = spawn(argv[0], argv.slice(1), {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      detached: true, // setsid: own session and process group
      stdio: [opts.input !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    const pid = child.pid;
    let interrupted = false;
    let terminated = false;
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    const interrupt = () => {
      if (pid === undefined || opts.cleanup) return;
      interrupted = true;
      signalTree(pid, 'SIGINT');
      if (opts.interruptGraceMs !== undefined)
        killTimer = setTimeout(() => signalTree(pid, 'SIGKILL'), opts.interruptGraceMs);
    };
    const terminate = () => {
      if (pid === undefined || opts.final) return;
      terminated = true;
      signalTree(pid, 'SIGKILL');
    };
    this.control?.on('interrupt', interrupt);
    this.control?.on('terminate', terminate);
    let limitTimer: NodeJS.Timeout | undefined;
    if (opts.timeoutMs && opts.timeoutMs > 0 && pid !== undefined) {
      limitTimer = setTimeout(() => {
        timedOut = true;
        signalTree(pid, 'SIGINT');
        killTimer = setTimeout(() => signalTree(pid, 'SIGKILL'), 10_000);
      }, opts.timeoutMs);
    }
    const onData = (isStdout: boolean) => (chunk: Buffer) => {
      opts.onOutput?.(chunk);
      tail.push(chunk);
      if (log && !log.destroyed) log.write(chunk);
      if (isStdout && opts.captureStdout) stdoutChunks.push(chunk);
      if (opts.verbose) process.stderr.write(chunk);
    };
    child.stdout?.on('data', onData(true));
    child.stderr?.on('data', onData(false));
    if (opts.input !== undefined) {
      child.stdin?.on('error', () => {});
      child.stdin?.end(opts.input);
    }
    try {
      const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
      const { code, signal, spawnError } = await new Promise<{
        code: number | null;
        signal: NodeJS.Signals | null;
        spawnError?: Error;
      }>((resolve) => {
        child.once('error', (err) => resolve({ code: null, signal: null, spawnError: err }));
        child.once('exit', (code, signal) => resolve({ code, signal }));
      });
      // Background processes the child left in its session would hold our pipes open: kill them first.
      if (pid !== undefined && processesOf(pid).length > 0) await killTree(pid, 2000);
      await Promise.race([closed, new Promise((r) => setTimeout(r, 2000).unref())]);
      if (spawnError) {
        throw new CommandError(
          { ...base, tail: tail.text() },
          `error starting ${formatArgv(argv)}: ${spawnError.message}`,
        );
      }
      const result = {
        exitCode: code ?? -1,
        stdout: Buffer.concat(stdoutChunks).toString('utf8'),
        tail: tail.text(),
        durationMs: Date.now() - started,
      };
      if (code !== 0 || interrupted || terminated || timedOut) {
        throw new CommandError({
          ...base,
          exitCode: code,
          signal,
          interrupted,
          terminated,
          timedOut,
          tail: result.tail,
        });
      }
      return result;
    } finally {
      if (limitTimer) clearTimeout(limitTimer);
      if (killTimer) clearTimeout(killTimer);
      this.control?.off('interrupt', interrupt);
      this.control?.off('terminate', terminate);
      if (pid !== undefined) {
        // Whatever the child left in its session dies with it (also on a spawn error or a throw above).
        if (processesOf(pid).length > 0) await killTree(pid, 2000);
      }
      if (log) await closeLog(log);
    }
  }
}

/** A step log that can fail (disk full, unwritable dir) without failing the step: output still reaches the tail. */
function openLog(path: string): WriteStream | undefined {
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch {
    return undefined;
  }
  const s = createWriteStream(path, { flags: 'a' });
  s.on('error', () => s.destroy());
  return s;
}

function closeLog(s: WriteStream): Promise<void> {
  if (s.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    s.once('close', resolve);
    s.end();
  });
}
