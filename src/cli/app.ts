// kubetest: parse → plan → (print the plan | run it) → exit code.
import { ginkgoParallelFromEnv, parseCommandLine, UnknownFlagUsageError } from './config.js';
import { UsageError } from './goflags.js';
import { helpText } from './help.js';
import { KUBETEST_VERSION } from '../version.js';
import { parseFailpoints } from '../run/failpoints.js';
import { stderrLogger } from '../run/logger.js';

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
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const log = stderrLogger(stderr);
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
  const [{ createDeployer }, { RunControl }, { createRunContext }, { buildPlan }] = await Promise.all([
    import('./deployer.js'),
    import('../run/control.js'),
    import('../run/context.js'),
    import('../run/plan.js'),
  ]);
  let deployer;
  try {
    deployer = await createDeployer(cfg, env);
  } catch (e) {
    stderr.write(`kubetest: ${(e as Error).message}\n`);
    return 2;
  }
  if (cfg.dryRun) {
    const { planJson, planText, plannedKubeRoot } = await import('../run/dryrun.js');
    const control = new RunControl({ timeoutMs: 0, cleanupGraceMs: 0, signals: [] });
    const ctx = createRunContext(cfg, control, log, deployer, env);
    ctx.kubeRoot = plannedKubeRoot(ctx);
    const plan = planJson(ctx, buildPlan(ctx));
    stdout.write(cfg.dryRun === 'json' ? JSON.stringify(plan) + '\n' : planText(plan));
    control.dispose();
    return 0;
  }
  const { preflight } = await import('./preflight.js');
  const bad = preflight(cfg, env);
  if (bad) {
    stderr.write(`kubetest: ${bad}\n`);
    return 2;
  }
  // With --upload, what kubetest says is also Prow's build-log.txt.
  const upload = cfg.upload ? await import('./upload.js') : undefined;
  const tee = upload?.teeBuildLog(cfg, stderr);
  const out = tee?.stream ?? stderr;
  const runLog = tee ? stderrLogger(tee.stream) : log;
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
    const uploaded = await upload.uploadArtifacts(ctx, tee.file, stderr);
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
