// --skew and --upgrade_args: kubetest runs itself again from ../kubernetes_skew with --test. kubetest found
// "kubetest" on PATH and joined the args with spaces; we run this very program, with each flag one argv entry.
import { join } from 'node:path';
import type { StepContext } from '../api/context.js';
import type { Tester } from '../api/tester.js';
import type { RunConfig } from '../run/config.js';
import { entryScript } from '../util/entrypoints.js';

export function skewArgv(cfg: RunConfig, testArgs: string, prefix: 'skew' | 'upgrade'): string[] {
  const parts = testArgs.split(/\s+/).filter(Boolean);
  const i = parts.findIndex((a) => a.startsWith('--report-prefix='));
  if (i >= 0) parts[i] = `${parts[i]}-${prefix}`;
  else parts.push(`--report-prefix=${prefix}`);
  // The child must not write its junit_runner.xml over ours, so it gets no --dump; e2e reports still go there.
  if (cfg.dump && !parts.some((a) => a.startsWith('--report-dir'))) parts.push(`--report-dir=${cfg.dump}`);
  return [
    process.execPath,
    entryScript('kubetest'),
    '--test',
    `--test_args=${parts.join(' ')}`,
    `--check-version-skew=${cfg.checkVersionSkew}`,
    `--deployment=${cfg.deployment}`,
    ...(cfg.provider ? [`--provider=${cfg.provider}`] : []),
    ...(cfg.cluster ? [`--cluster=${cfg.cluster}`] : []),
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
    const args = this.kind === 'skew' ? this.cfg.testArgs.join(' ') : this.cfg.upgradeArgs;
    return skewArgv(this.cfg, args, this.kind);
  }

  async run(sc: StepContext): Promise<void> {
    const cwd = join(sc.workDir, 'kubernetes_skew');
    if (this.kind === 'skew') {
      await sc.exec(this.argv(), { cwd });
      return;
    }
    const env = { ...sc.env };
    delete env['GINKGO_PARALLEL'];
    delete env['GINKGO_PARALLEL_NODES'];
    await sc.exec(this.argv(), { cwd, env });
  }
}
