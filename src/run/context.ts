// Everything one run carries: config, control (deadline/signals), env for children, dirs. The child-process
// runner belongs to the engine (run/engine.ts): a dry run plans without loading it.
// There is no global state: two runs in one process (as in the tests) do not see each other. Only the
// engine changes a RunContext, by merging what steps return (mergeOutput).
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Deployer } from '../api/deployer.js';
import type { Logger } from '../api/logger.js';
import type { RunConfig } from './config.js';
import type { RunControl } from './control.js';
import type { BuiltRelease, ExtractedRelease, RunStepOutput } from './step.js';

export type { ExtractedRelease } from './step.js';

export interface RunContext {
  cfg: RunConfig;
  control: RunControl;
  log: Logger;
  /** Env for children: inherited env + exported flags + what steps returned (KUBECONFIG, KUBECTL, ...). */
  env: NodeJS.ProcessEnv;
  workDir: string;
  /** kubernetes/ tree the tests and cluster scripts run from. */
  kubeRoot: string;
  /** Deployer state and other per-run files that split invocations share: <workDir>/_rundir. */
  runDir: string;
  /** Step logs. */
  logDir: string;
  /** --dump and $ARTIFACTS (reports go to each). */
  reportDirs: string[];
  deployer: Deployer;
  extracted: ExtractedRelease[];
  /** Filled by build (--build=module): the release dir it produced. */
  builtRelease?: BuiltRelease;
}

/** One run's step logs: a dir of their own, so a reused --dump never mixes runs (kubetest-steps/<start>-<pid>). */
export function stepLogDir(base: string, startedAt: number, pid = process.pid): string {
  const stamp = new Date(startedAt)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return join(base, 'kubetest-steps', `${stamp}-${pid}`);
}

export function reportDirsOf(cfg: RunConfig): string[] {
  return [...new Set([cfg.dump, cfg.artifacts].filter((d) => d !== ''))];
}

/** kubetest runs from `kubernetes/` after extract; without extract, from a cwd named like it. */
export function findKubeRoot(workDir: string): string {
  const sub = join(workDir, 'kubernetes');
  if (existsSync(sub)) return sub;
  return workDir;
}

export function createRunContext(
  cfg: RunConfig,
  control: RunControl,
  log: Logger,
  deployer: Deployer,
  baseEnv: NodeJS.ProcessEnv,
): RunContext {
  const reportDirs = reportDirsOf(cfg);
  return {
    cfg,
    control,
    log,
    env: { ...baseEnv, ...cfg.exportEnv },
    workDir: cfg.workDir,
    kubeRoot: findKubeRoot(cfg.workDir),
    runDir: cfg.runDir,
    logDir: stepLogDir(reportDirs[0] ?? cfg.runDir, control.startedAt),
    reportDirs,
    deployer,
    extracted: [],
  };
}

/** Merges what a step returned into the run, for the steps after it. */
export function mergeOutput(ctx: RunContext, out: RunStepOutput | void): void {
  if (!out) return;
  if (out.kubeRoot !== undefined) ctx.kubeRoot = out.kubeRoot;
  if (out.extracted !== undefined) ctx.extracted = out.extracted;
  if (out.builtRelease !== undefined) ctx.builtRelease = out.builtRelease;
  if (out.env) Object.assign(ctx.env, out.env);
  if (out.kubeconfig !== undefined) ctx.env['KUBECONFIG'] = out.kubeconfig;
}

/** The version under test: ./version in the kube root (kubetest's rule), else the extracted/built one. */
export function jobVersion(ctx: {
  kubeRoot: string;
  extracted: readonly ExtractedRelease[];
  builtRelease?: BuiltRelease | undefined;
  env: Readonly<NodeJS.ProcessEnv>;
}): string {
  const f = join(ctx.kubeRoot, 'version');
  if (existsSync(f)) {
    const v = readFileSync(f, 'utf8').trim();
    if (v) return v;
  }
  const last = ctx.extracted[ctx.extracted.length - 1];
  if (last) return last.version;
  if (ctx.builtRelease) return ctx.builtRelease.version;
  if (ctx.env['KUBE_GIT_VERSION']) return ctx.env['KUBE_GIT_VERSION'];
  return 'unknown';
}

export function slug(name: string): string {
  return (
    basename(name)
      .replace(/[^A-Za-z0-9_.-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'step'
  );
}
