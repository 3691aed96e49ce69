// The run's reports, written so that they never stop the lifecycle: a failed write (disk full, an
// unwritable --dump) is logged once and tried again with the final reports; only a failed final write
// makes the run fail. The report modules load only when there is somewhere to write.
import { mkdirSync } from 'node:fs';
import type { JunitCase } from '../report/junit.js';
import type { RunContext } from './context.js';

export type RunResult = 'SUCCESS' | 'FAILURE' | 'ABORTED';

export interface Reports {
  /** After each step: junit_runner.xml so far. */
  progress(cases: JunitCase[]): void;
  /** At the end; false when the reports could not be written. */
  final(cases: JunitCase[], finish: { result: RunResult; version: string }): boolean;
}

export async function openReports(ctx: RunContext): Promise<Reports> {
  if (ctx.reportDirs.length === 0) return { progress: () => undefined, final: () => true };
  const write = await import('../report/write.js');
  const { renderJunit } = await import('../report/junit.js');
  let failing = false;
  const attempt = (what: string, fn: () => void): boolean => {
    try {
      fn();
      if (failing) ctx.log.info(`reports: ${what} written again`);
      failing = false;
      return true;
    } catch (e) {
      if (!failing) ctx.log.warn(`reports: could not write ${what}: ${(e as Error).message}; the run goes on`);
      failing = true;
      return false;
    }
  };
  const junit = (cases: JunitCase[], final: boolean) =>
    renderJunit({
      cases,
      durationMs: Date.now() - ctx.control.startedAt,
      timeoutMs: ctx.cfg.timeoutMs,
      timedOut: final ? ctx.control.timedOut : false,
    });
  attempt('started.json', () => {
    for (const dir of ctx.reportDirs) mkdirSync(dir, { recursive: true });
    write.writeStarted(ctx, ctx.control.startedAt);
  });
  return {
    progress: (cases) =>
      void attempt('junit_runner.xml', () => write.writeReports(ctx, junit(cases, false), undefined)),
    final: (cases, finish) => {
      const ok = attempt('the final reports', () => {
        for (const dir of ctx.reportDirs) mkdirSync(dir, { recursive: true });
        write.writeReports(ctx, junit(cases, true), finish);
      });
      if (!ok) ctx.log.warn('reports: the final reports could not be written; exit 1');
      return ok;
    },
  };
}
