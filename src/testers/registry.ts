// The testers a run may use, chosen from the config; the plan asks here instead of naming argv builders.
import type { Tester } from '../api/tester.js';
import type { RunConfig } from '../run/config.js';
import { ExecTester } from './exec.js';
import { GinkgoTester } from './ginkgo.js';
import { SkewTester } from './skew.js';

/** The Test step's tester: SkewTest with --skew, else e2e through ginkgo. */
export function e2eTester(cfg: RunConfig, deployerArgs: string[]): Tester {
  return cfg.skew ? new SkewTester(cfg, 'skew') : new GinkgoTester(cfg, deployerArgs);
}

export const upgradeTester = (cfg: RunConfig): Tester => new SkewTester(cfg, 'upgrade');

/** kubetest's kubemark test: e2e with the run's args, else its old default focus (the density test). */
export const KUBEMARK_DEFAULT_FOCUS = '--ginkgo.focus=starting\\s30\\spods';
export function kubemarkTester(cfg: RunConfig): Tester {
  const testArgs = cfg.testArgs.length > 0 ? cfg.testArgs : [KUBEMARK_DEFAULT_FOCUS];
  return new GinkgoTester({ ...cfg, testArgs }, [], 'kubemark');
}
export const testCmdTester = (cfg: RunConfig): Tester => ExecTester.testCmd(cfg.testCmd);
export const hookTester = (stepName: string, raw: string): Tester => ExecTester.hook(stepName, raw);
