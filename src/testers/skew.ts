// --skew and --upgrade_args: kubetest runs itself again from ../kubernetes_skew with --test. kubetest found
// "kubetest" on PATH and joined the args with spaces; we run this very program, with each flag one argv entry.
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { RunContext } from '../run/context.js';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'main.js');

export function skewArgv(ctx: Pick<RunContext, 'cfg'>, testArgs: string, prefix: 'skew' | 'upgrade'): string[] {
  const { cfg } = ctx;
  const parts = testArgs.split(/\s+/).filter(Boolean);
  const i = parts.findIndex((a) => a.startsWith('--report-prefix='));
  if (i >= 0) parts[i] = `${parts[i]}-${prefix}`;
  else parts.push(`--report-prefix=${prefix}`);
  // The child must not write its junit_runner.xml over ours, so it gets no --dump; e2e reports still go there.
  if (cfg.dump && !parts.some((a) => a.startsWith('--report-dir'))) parts.push(`--report-dir=${cfg.dump}`);
  return [
    process.execPath,
    MAIN,
    '--test',
    `--test_args=${parts.join(' ')}`,
    `--check-version-skew=${cfg.checkVersionSkew}`,
    `--deployment=${cfg.deployment}`,
    ...(cfg.provider ? [`--provider=${cfg.provider}`] : []),
    ...(cfg.cluster ? [`--cluster=${cfg.cluster}`] : []),
  ];
}
