// The run's reports, written so that they never stop the lifecycle: a failed write (disk full, an
// unwritable --dump) is logged once and tried again with the final reports; only a failed final write
// makes the run fail. The report modules load only when there is somewhere to write.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { JunitCase } from '../report/junit.js';
import type { SpecResult } from '../report/e2e-junit.js';
import type { StepRecord, Summary } from '../report/summary.js';
import { KUBETEST_VERSION } from '../version.js';
import type { RunContext } from './context.js';

export type RunResult = 'SUCCESS' | 'FAILURE' | 'ABORTED';

export interface FinalFacts {
  result: RunResult;
  version: string;
  exitCode: number;
  reason: string;
  steps: readonly StepRecord[];
}

export interface FinalReports {
  /** False when the reports could not be written. */
  ok: boolean;
  summary: Summary;
  /** report.html in the first report dir, when there is one. */
  html: string | undefined;
}

export interface Reports {
  /** After each step: junit_runner.xml so far. */
  progress(cases: JunitCase[]): void;
  /** At the end (also after an interrupt): junit, metadata, finished.json, summary.json, report.html. */
  final(cases: JunitCase[], finish: FinalFacts): Promise<FinalReports>;
}

interface DirSummary {
  summary: Summary;
  failedSpecs: SpecResult[];
}

async function summaryFor(ctx: RunContext, finish: FinalFacts, dir: string | undefined): Promise<DirSummary> {
  const { buildSummary } = await import('../report/summary.js');
  const read = dir ? (await import('../report/e2e-junit.js')).readE2eResults(dir, ctx.control.startedAt) : undefined;
  const e2e = read && read.files.length + read.problems.length > 0 ? read : undefined;
  const summary = buildSummary(
    {
      argv: ctx.cfg.argv,
      deployment: ctx.cfg.deployment,
      provider: ctx.cfg.provider,
      startedAt: ctx.control.startedAt,
      finishedAt: Date.now(),
      result: finish.result,
      exitCode: finish.exitCode,
      reason: finish.reason,
      kubetestVersion: KUBETEST_VERSION,
      kubernetesVersion: finish.version,
      extracted: ctx.extracted.map((x) => ({ arg: x.arg, version: x.version })),
      config: ctx.cfg.explicit,
      steps: finish.steps,
      e2e,
    },
    dir ?? ctx.workDir,
  );
  return { summary, failedSpecs: e2e?.cases.filter((c) => c.status === 'failed') ?? [] };
}

export async function openReports(ctx: RunContext): Promise<Reports> {
  if (ctx.reportDirs.length === 0) {
    return {
      progress: () => undefined,
      final: async (_, finish) => ({ ok: true, ...(await summaryFor(ctx, finish, undefined)), html: undefined }),
    };
  }
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
    final: async (cases, finish) => {
      const { renderHtml } = await import('../report/html.js');
      // e2e junits are wherever ginkgo wrote them (--report-dir is --dump): each report dir reads its own.
      const perDir: DirSummary[] = [];
      for (const dir of ctx.reportDirs) perDir.push(await summaryFor(ctx, finish, dir));
      const ok = attempt('the final reports', () => {
        for (const dir of ctx.reportDirs) mkdirSync(dir, { recursive: true });
        write.writeReports(ctx, junit(cases, true), finish);
        ctx.reportDirs.forEach((reportDir, i) => {
          const { summary, failedSpecs } = perDir[i]!;
          write.writeSummary(reportDir, summary, renderHtml({ summary, steps: finish.steps, failedSpecs, reportDir }));
        });
      });
      if (!ok) ctx.log.warn('reports: the final reports could not be written; exit 1');
      const shown = perDir.find((x) => x.summary.e2e !== null) ?? perDir[0]!;
      return { ok, summary: shown.summary, html: ok ? join(ctx.reportDirs[0]!, 'report.html') : undefined };
    },
  };
}
