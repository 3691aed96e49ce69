// Running kubetest in tests: in-process (fast; for plans) or as a real child process (signals, exit codes).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../src/cli/app.js';

export const REPO = process.env['KUBETEST_REPO'] ?? join(import.meta.dirname, '..', '..', '..');
/** The executable as installed (package.json bin): the bundle of hack/bundle.mjs. */
export const KUBETEST = join(REPO, 'dist', 'bin', 'kubetest.js');

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _e: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString('utf8');
    cb();
  }
}

export async function runInProcess(
  argv: string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new Capture();
  const err = new Capture();
  const code = await main(argv, { cwd: opts.cwd, env: opts.env ?? {}, stdout: out, stderr: err, signals: [] });
  return { code, stdout: out.text, stderr: err.text };
}

export interface ChildRun {
  pid: number;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number }>;
  stderrSoFar(): string;
  waitForOutput(re: RegExp, timeoutMs?: number): Promise<void>;
  kill(sig: NodeJS.Signals): void;
}

export function runChild(argv: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }): ChildRun {
  const t0 = Date.now();
  const child = spawn(process.execPath, [KUBETEST, ...argv], {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: Array<{ re: RegExp; resolve: () => void }> = [];
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
    for (const w of [...waiters])
      if (w.re.test(stderr)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
  });
  const done = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
    ms: number;
  }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - t0 })));
  return {
    pid: child.pid!,
    done,
    stderrSoFar: () => stderr,
    waitForOutput: (re, timeoutMs = 60_000) =>
      new Promise<void>((resolve, reject) => {
        if (re.test(stderr)) return resolve();
        const t = setTimeout(() => reject(new Error(`timed out waiting for ${re} in:\n${stderr}`)), timeoutMs);
        waiters.push({
          re,
          resolve: () => {
            clearTimeout(t);
            resolve();
          },
        });
      }),
    kill: (sig) => child.kill(sig),
  };
}

export const BASE_ENV: NodeJS.ProcessEnv = { PATH: process.env['PATH'], HOME: process.env['HOME'] };
