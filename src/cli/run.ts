// A parsed command line → a plan → printed (--dry-run) or run. Loaded after --help and --version had their turn;
// what only a real run needs (the engine, reports, uploads) loads when the run gets there.
import type { Logger } from '../api/logger.js';
import type { RunConfig } from '../run/config.js';
import { createRunContext } from '../run/context.js';
import { RunControl } from '../run/control.js';
import { planJson, planText, plannedKubeRoot } from '../run/dryrun.js';
import { stderrLogger } from '../run/logger.js';
import type { Out } from '../util/stdio.js';
import { buildPlan } from '../run/plan.js';
import { ginkgoParallelFromEnv } from './config.js';
import { createDeployer } from './deployer.js';
import { preflight } from './preflight.js';

export interface RunIo {
  env: NodeJS.ProcessEnv;
  /** The dry run's plan, refusals and its log: what finishes before a run starts (util/stdio.ts). */
  stdout: Out;
  stderr: Out;
  log: Logger;
  /** The run's stderr, built when a run starts: process.stderr, or a test's capture. */
  runStderr: () => NodeJS.WritableStream;
  signals?: NodeJS.Signals[];
}

export async function runConfigured(cfg: RunConfig, io: RunIo): Promise<number> {
  const { env, stdout, stderr, log } = io;
  let deployer;
  try {
    deployer = await createDeployer(cfg, env);
  } catch (e) {
    stderr.write(`kubetest: ${(e as Error).message}\n`);
    return 2;
  }
  if (cfg.dryRun) {
    const control = new RunControl({ timeoutMs: 0, cleanupGraceMs: 0, signals: [] });
    const ctx = createRunContext(cfg, control, log, deployer, env);
    ctx.kubeRoot = plannedKubeRoot(ctx);
    const plan = planJson(ctx, buildPlan(ctx));
    stdout.write(cfg.dryRun === 'json' ? JSON.stringify(plan) + '\n' : planText(plan));
    control.dispose();
    return 0;
  }
  const bad = preflight(cfg, env);
  if (bad) {
    stderr.write(`kubetest: ${bad}\n`);
    return 2;
  }
  // With --upload, what kubetest says is also Prow's build-log.txt.
  const upload = cfg.upload ? await import('./upload.js') : undefined;
  const runStderr = io.runStderr();
  const tee = upload?.teeBuildLog(cfg, runStderr);
  const out = tee?.stream ?? runStderr;
  const runLog = stderrLogger(out);
  const control = new RunControl({
    timeoutMs: cfg.timeoutMs,
    cleanupGraceMs: cfg.cleanupGraceMs,
    log: (m) => runLog.info(m),
    ...(io.signals ? { signals: io.signals } : {}),
  });
  const ctx = createRunContext(cfg, control, runLog, deployer, childEnv(env));
  try {
    const steps = buildPlan(ctx);
    if (steps.length === 0) out.write(nothingToDo());
    const { executePlan } = await import('../run/engine.js');
    const result = await executePlan(ctx, steps);
    const { closingSummary } = await import('../report/closing.js');
    out.write(closingSummary(result.summary, result.report));
    if (!upload || !tee) return result.exitCode;
    await new Promise<void>((r) => tee.stream.end(() => r()));
    const uploaded = await upload.uploadArtifacts(ctx, tee.file, runStderr);
    return uploaded ? result.exitCode : result.exitCode || 1;
  } finally {
    control.dispose();
  }
}

/** The environment children inherit: kubetest unsets the deprecated GINKGO_PARALLEL=y once it has read it. */
function childEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (!ginkgoParallelFromEnv(env)) return env;
  const out = { ...env };
  delete out['GINKGO_PARALLEL'];
  return out;
}

/** No step selected (e.g. no arguments): say so, and how to start. kubetest ran nothing and exited 0, too. */
function nothingToDo(): string {
  return [
    'kubetest: no step selected, so nothing runs (give --build, --extract, --up, --test, --test-cmd or --down).',
    'See kubetest --help. The main job, on a local cluster:',
    '  kubetest --build=module --extract=local --deployment=local --provider=local --up --test --down --timeout=60m',
    '',
  ].join('\n');
}
