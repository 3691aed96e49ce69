// Executes a plan: steps in order, one deadline, signals, teardown that always runs, reports always written.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CommandError, errorOutput } from '../process/errors.js';
import { ProcessRunner } from '../process/run.js';
import type { JunitCase } from '../report/junit.js';
import type { StepRecord, Summary } from '../report/summary.js';
import type { RunControl } from './control.js';
import { hitFailpoint, parseFailpoints } from './failpoints.js';
import { openReports } from './reports.js';
import { jobVersion, mergeOutput, slug, type RunContext } from './context.js';
import { formatDuration } from './logger.js';
import type { RunState, RunStepContext, Step, StepResult } from './step.js';

/** How long a final step (Deployer Finish) may take once kubetest was terminated. */
export const FINAL_STEP_BUDGET_MS = 30_000;
/** How long interrupted work may still settle after terminate before the reports are written. */
const DANGLING_AFTER_TERMINATE_MS = 3000;

/** Waits up to `ms` (or until terminate) for `work`: its error, 'ok', or 'pending' when it is still running. */
async function settleWithin(
  work: Promise<unknown>,
  ms: number,
  control: RunControl,
): Promise<Error | 'ok' | 'pending'> {
  let timer: NodeJS.Timeout | undefined;
  let onTerminate: (() => void) | undefined;
  const stop = new Promise<'pending'>((resolve) => {
    timer = setTimeout(() => resolve('pending'), Math.max(0, ms));
    onTerminate = () => resolve('pending');
    control.terminateSignal.addEventListener('abort', onTerminate, { once: true });
  });
  try {
    return await Promise.race([
      work.then(
        () => 'ok' as const,
        (e: unknown) => e as Error,
      ),
      stop,
    ]);
  } finally {
    clearTimeout(timer);
    if (onTerminate) control.terminateSignal.removeEventListener('abort', onTerminate);
  }
}

function runsAfterTerminate(step: Step, ctx: RunContext): boolean {
  return step.final === 'always' || (step.final === 'unless-killed' && ctx.control.terminatedBy === 'grace');
}

export interface EngineResult {
  exitCode: number;
  state: RunState;
  cases: JunitCase[];
  summary: Summary;
  /** report.html, when there was a report dir to write it to. */
  report: string | undefined;
}

export async function executePlan(ctx: RunContext, steps: Step[]): Promise<EngineResult> {
  const state: RunState = { results: new Map(), aborted: false, clusterTouched: false, failures: 0 };
  // One record per step that ran or was skipped; junit's cases are derived from them.
  const records: StepRecord[] = [];
  const dangling: Promise<unknown>[] = [];
  let seq = 0;
  const reports = await openReports(ctx);
  const failpoints = parseFailpoints(ctx.env['KUBETEST_FAILPOINTS']);
  const runner = new ProcessRunner(ctx.control);

  const record = (step: Step, r: Omit<StepResult, 'id' | 'name'>, timing: { t0?: number; logFile?: string } = {}) => {
    const res: StepResult = { id: step.id, name: step.name, ...r };
    state.results.set(step.id, res);
    records.push({
      ...res,
      startMs: (timing.t0 ?? Date.now()) - ctx.control.startedAt,
      logFile: timing.logFile && existsSync(timing.logFile) ? timing.logFile : undefined,
    });
    if (r.status === 'failed') state.failures++;
    reports.progress(records.map(junitCase));
  };

  const runStep = async (step: Step): Promise<StepResult['status']> => {
    const cleanup = step.cleanup === true;
    // A final step after terminate gets a budget of its own instead of an already-aborted signal.
    const finalAfterTerminate = ctx.control.state === 'terminated' && runsAfterTerminate(step, ctx);
    const signal = finalAfterTerminate ? AbortSignal.timeout(FINAL_STEP_BUDGET_MS) : ctx.control.signalFor(cleanup);
    const finalOpts = finalAfterTerminate ? { final: true, timeoutMs: FINAL_STEP_BUDGET_MS } : {};
    const logFile = join(ctx.logDir, `${String(++seq).padStart(2, '0')}-${slug(step.name)}.log`);
    const env = Object.freeze({ ...ctx.env });
    const kubeRoot = ctx.kubeRoot;
    const sc: RunStepContext = {
      run: { ...ctx, extracted: [...ctx.extracted], builtRelease: ctx.builtRelease },
      stepName: step.name,
      logFile,
      signal,
      cleanup,
      workDir: ctx.workDir,
      runDir: ctx.runDir,
      kubeRoot,
      env,
      logger: ctx.log,
      exec: (argv, opts = {}) =>
        runner.run(argv, { cwd: kubeRoot, env, logFile, verbose: ctx.cfg.verbose, cleanup, ...finalOpts, ...opts }),
      log: (msg) => ctx.log.info(msg, step.name),
    };
    if (step.touchesCluster) state.clusterTouched = true;
    ctx.log.info('start', step.name);
    const t0 = Date.now();
    const fp = failpoints.get(step.id);
    const work = Promise.resolve().then(async () => {
      if (fp) await hitFailpoint(sc, fp, 'before');
      const out = await step.run(sc);
      if (fp) await hitFailpoint(sc, fp, 'after');
      return out;
    });
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    aborted.catch(() => undefined);
    try {
      const out = await Promise.race([work, aborted]);
      const ms = Date.now() - t0;
      mergeOutput(ctx, out);
      if (ctx.control.state !== 'running' && !cleanup) {
        const message = `kubetest interrupted during step ${step.name}`;
        ctx.log.info(`FAILED (${formatDuration(ms)}): ${message}`, step.name);
        record(step, { status: 'failed', durationMs: ms, message }, { t0, logFile });
        return 'failed';
      }
      ctx.log.info(`ok (${formatDuration(ms)})`, step.name);
      record(step, { status: 'ok', durationMs: ms }, { t0, logFile });
      return 'ok';
    } catch (err) {
      let e = err as Error;
      if (signal.aborted) {
        // Interrupted: cleanup starts when the step's child has exited (kubetest waits too), or when half the
        // cleanup grace is spent; then the child keeps the rest of its grace while cleanup runs. Its own
        // error (the command and how it ended) is what junit reports, and the step's time covers its life.
        const settled = await settleWithin(work, cleanup ? 2000 : ctx.cfg.cleanupGraceMs / 2, ctx.control);
        if (settled === 'pending') dangling.push(work.catch(() => undefined));
        else if (settled instanceof Error) e = settled;
      }
      const ms = Date.now() - t0;
      const message = e?.message ?? String(err);
      const output = errorOutput(e);
      ctx.log.info(`FAILED (${formatDuration(ms)}): ${message}`, step.name);
      // A command's output was streamed already when verbose; a StepFailure's (a daemon's log tail) never was.
      if (output && !(ctx.cfg.verbose && e instanceof CommandError)) {
        const lines = output.replace(/\n$/, '').split('\n').slice(-15).join('\n');
        if (lines) ctx.log.stream.write(`${lines}\n`);
        ctx.log.info(`full output: ${logFile}`, step.name);
      }
      record(step, { status: 'failed', durationMs: ms, message, output }, { t0, logFile });
      return 'failed';
    } finally {
      if (onAbort) signal.removeEventListener('abort', onAbort);
    }
  };

  for (const step of steps) {
    if (ctx.control.state === 'terminated' && !runsAfterTerminate(step, ctx)) {
      record(step, {
        status: 'skipped',
        durationMs: 0,
        message: `skipped: kubetest was terminated (${ctx.control.reason})`,
      });
      continue;
    }
    // Steps not reached because an earlier step failed are left out (as kubetest does)...
    if (state.aborted && !step.cleanup) continue;
    // ...but every planned step an interrupt kept from running is reported, with why.
    if (ctx.control.state === 'interrupted' && !step.cleanup) {
      record(step, {
        status: 'skipped',
        durationMs: 0,
        message: `skipped: kubetest was interrupted (${ctx.control.reason})`,
      });
      continue;
    }
    if (step.requires?.some((id) => state.results.get(id)?.status !== 'ok')) continue;
    if (step.when && !step.when(state)) continue;
    const status = await runStep(step);
    if (status === 'failed') {
      if (step.abortOnFailure) state.aborted = true;
      for (const f of step.onFailure ?? []) {
        if ((ctx.control.state as string) === 'terminated') break;
        if (!f.when || f.when(state)) await runStep(f);
      }
    }
  }

  // Interrupted children get the rest of the cleanup grace to finish (ginkgo writes its reports on SIGINT).
  if (dangling.length > 0) {
    const terminated = new Promise((r) => {
      if (ctx.control.terminateSignal.aborted) r(undefined);
      ctx.control.terminateSignal.addEventListener('abort', r, { once: true });
    });
    await Promise.race([Promise.all(dangling), terminated]);
    // After terminate every child got SIGKILL; work that still does not settle must not hang the exit.
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise((r) => (timer = setTimeout(r, DANGLING_AFTER_TERMINATE_MS)));
    await Promise.race([Promise.all(dangling), bound]);
    clearTimeout(timer);
  }

  const signalCode = ctx.control.signalExitCode();
  const failed = state.failures > 0 || ctx.control.timedOut;
  const result = signalCode !== undefined ? 'ABORTED' : failed ? 'FAILURE' : 'SUCCESS';
  const exitCode = signalCode ?? (failed ? 1 : 0);
  const cases = records.map(junitCase);
  const final = await reports.final(cases, {
    result,
    version: jobVersion(ctx),
    exitCode,
    reason: runReason(ctx, cases),
    steps: records,
  });
  return { exitCode: final.ok ? exitCode : exitCode || 1, state, cases, summary: final.summary, report: final.html };
}

function junitCase(r: StepRecord): JunitCase {
  return {
    name: r.name,
    durationMs: r.durationMs,
    failure: r.status === 'failed' ? (r.message ?? 'failed') : undefined,
    skipped: r.status === 'skipped' ? (r.message ?? 'skipped') : undefined,
    output: r.output,
  };
}

/** Why the run ended as it did, in one line (summary.json's reason, the closing summary's first line). */
function runReason(ctx: RunContext, cases: readonly JunitCase[]): string {
  const failed = cases.filter((c) => c.failure !== undefined).map((c) => c.name);
  const steps = failed.length ? `${failed.length} step(s) failed: ${failed.join(', ')}` : '';
  if (ctx.control.signalExitCode() !== undefined) return `interrupted by ${ctx.control.reason}`;
  if (ctx.control.timedOut) return `--timeout reached${steps ? `; ${steps}` : ''}`;
  return steps || `all ${cases.length} steps passed`;
}
