// The tester contract: what runs in the Test step (e2e via ginkgo, --test-cmd, skew, upgrade). The same
// argv() serves --dry-run and the run, so the printed command is the one that runs.
import type { StepContext } from './context.js';

/** Where the tests will run: the kube root and env as they stand (or are planned) when the step starts. */
export interface TestTarget {
  kubeRoot: string;
  env: Readonly<NodeJS.ProcessEnv>;
  /** --dry-run: nothing is extracted yet, files the extract will create count as present. */
  planning: boolean;
}

export interface Tester {
  /** The junit name of the step (Test, SkewTest, UpgradeTest, the --test-cmd name). */
  readonly stepName: string;
  argv(t: TestTarget): string[];
  run(sc: StepContext): Promise<void>;
}
