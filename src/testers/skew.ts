// --skew and --upgrade_args: kubetest runs itself again from ../kubernetes_skew with --test. kubetest found
// "kubetest" on PATH and joined the args with spaces; we run this very program, each argument one --test-arg,
// against this run's cluster (--rundir).
import { join } from 'node:path';
import type { StepContext } from '../api/context.js';
import type { Tester } from '../api/tester.js';
import type { RunConfig } from '../run/config.js';
import { entryScript } from '../util/entrypoints.js';
import { splitFields } from '../util/gostrings.js';

export function skewArgv(cfg: RunConfig, testArgs: readonly string[], prefix: 'skew' | 'upgrade'): string[] {
  const parts = [...testArgs];
  const i = parts.findIndex((a) => a.startsWith('--report-prefix='));
  if (i >= 0) parts[i] = `${parts[i]}-${prefix}`;
  else parts.push(`--report-prefix=${prefix}`);
  // The child must not write its junit_runner.xml over ours, so it gets no --dump; e2e reports still go there.
  if (cfg.dump && !parts.some((a) => a.startsWith('--report-dir'))) parts.push(`--report-dir=${cfg.dump}`);
  // As e2eArgs does for a run with a dump: the cluster's logs are dumped by kubetest, not by e2e.test.
  if (cfg.dump && !parts.some((a) => a.startsWith('--disable-log-dump'))) parts.push('--disable-log-dump=true');
  return [
    process.execPath,
    entryScript('kubetest'),
    '--test',
    // One argv element per argument (kubetest joined them with spaces and lost the quoting, §14.10).
    ...parts.map((a) => `--test-arg=${a}`),
    `--check-version-skew=${cfg.checkVersionSkew}`,
    `--deployment=${cfg.deployment}`,
    ...(cfg.provider ? [`--provider=${cfg.provider}`] : []),
    ...(cfg.cluster ? [`--cluster=${cfg.cluster}`] : []),
    // The child runs from kubernetes_skew/ but tests this run's cluster: the deployer state is ours.
    `--rundir=${cfg.runDir}`,
  ];
}

/** SkewTest (--skew: the new tests against the old cluster) and UpgradeTest (--upgrade_args). */
export class SkewTester implements Tester {
  readonly stepName: string;
  constructor(
    private readonly cfg: RunConfig,
    private readonly kind: 'skew' | 'upgrade',
  ) {
    this.stepName = kind === 'skew' ? 'SkewTest' : 'UpgradeTest';
  }

  argv(): string[] {
    const args = this.kind === 'skew' ? this.cfg.testArgs : splitFields(this.cfg.upgradeArgs);
    return skewArgv(this.cfg, args, this.kind);
  }

  async run(sc: StepContext): Promise<void> {
    const cwd = join(sc.workDir, 'kubernetes_skew');
    // Our reports are the run's: the child writes none into $ARTIFACTS (its e2e junit goes to --report-dir).
    const env = { ...sc.env };
    delete env['ARTIFACTS'];
    if (this.kind === 'upgrade') {
      delete env['GINKGO_PARALLEL'];
      delete env['GINKGO_PARALLEL_NODES'];
    }
    await sc.exec(this.argv(), { cwd, env });
  }
}
