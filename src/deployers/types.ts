import type { StepContext } from '../run/step.js';

/** The five lifecycle verbs every deployer has (kubetest's interface, kubetest2's shape). */
export interface Deployer {
  readonly name: string;
  up(sc: StepContext): Promise<void>;
  /** Succeeds when the cluster can run tests (kubetest: at least one Ready node). */
  isUp(sc: StepContext): Promise<void>;
  dumpClusterLogs(sc: StepContext, dir: string): Promise<void>;
  /** Exports what tests need (KUBECONFIG, provider, ...) into the run's env. */
  testSetup(sc: StepContext): Promise<void>;
  down(sc: StepContext): Promise<void>;
  /** kubectl to use for the run's own checks and for $KUBECTL; undefined ⇒ ./cluster/kubectl.sh. */
  kubectl?(): string[] | undefined;
  /** The cluster's kubeconfig, when the deployer made one (--save uploads it). */
  kubeconfigPath?(): string | undefined;
  /** Args the deployer adds to the e2e test args (kubetest: --cluster-ip-range for bash, --num-nodes for gke). */
  extraTestArgs?(): string[];
  /** Commands each verb will run, for --dry-run (cloud deployers list their exact CLI calls). */
  plannedCommands?(verb: 'up' | 'down' | 'isUp' | 'dump' | 'testSetup'): string[][];
}

/** Optional capability: the deployer runs its own tests (kubetest's BuildTester). */
export interface WithTester {
  testCommand(sc: StepContext): string[];
}

/** Optional capability: publish something after a fully successful run (kops). */
export interface WithPublish {
  publish(sc: StepContext): Promise<void>;
}

export function hasPublish(d: Deployer): d is Deployer & WithPublish {
  return typeof (d as Partial<WithPublish>).publish === 'function';
}
