// The deployer contract (kubetest's five verbs, kubetest2's shape) and its optional capabilities, each a
// small interface of its own that the engine checks for; the engine never asks a deployer's name.
import type { StepContext, StepOutput } from './context.js';

export interface Deployer {
  readonly name: string;
  up(c: StepContext): Promise<StepOutput | void>;
  /** Succeeds when the cluster can run tests (kubetest: at least one Ready node). */
  isUp(c: StepContext): Promise<void>;
  dumpClusterLogs(c: StepContext, dir: string): Promise<void>;
  /** What tests need (KUBECONFIG, provider, ...), returned for the engine to export. */
  testSetup(c: StepContext): Promise<StepOutput | void>;
  down(c: StepContext): Promise<void>;
}

export type PlannedVerb = 'up' | 'down' | 'isUp' | 'dump' | 'testSetup';

/** Runs first, before any step (gcloud preparation, a lease): its output is exported to every step. */
export interface WithInit {
  init(c: StepContext): Promise<StepOutput | void>;
}
/** Runs last on every exit path, inside the cleanup grace (a lease is released here). */
export interface WithFinish {
  finish(c: StepContext): Promise<void>;
}
/** Builds an artefact of its own during the Build step (a node image, node binaries). */
export interface WithBuild {
  build(c: StepContext): Promise<StepOutput | void>;
}
/** Publishes something after a fully successful run (kops). */
export interface WithPublish {
  publish(c: StepContext): Promise<void>;
}
/** kubectl for the run's own checks and for $KUBECTL; undefined ⇒ ./cluster/kubectl.sh. */
export interface WithKubectl {
  kubectl(): string[] | undefined;
}
/** The cluster's kubeconfig when the deployer made one (--save uploads it). */
export interface WithKubeconfig {
  kubeconfigPath(): string | undefined;
}
/** Args the deployer adds to the e2e test args (bash: --cluster-ip-range, gke: --num-nodes). */
export interface WithTestArgs {
  extraTestArgs(): string[];
}
/** The exact commands each verb will run, for --dry-run (cloud deployers list their CLI calls). */
export interface WithDryRun {
  plannedCommands(verb: PlannedVerb): string[][];
}
/** Upgrades the running cluster in place to the release in `toKubeRoot` (the --upgrade_args hook). */
export interface WithUpgrade {
  upgrade(c: StepContext, toKubeRoot: string): Promise<void>;
}
/** --kubemark: a cluster of hollow nodes beside the run's own, with its own up, dump and down. */
export interface WithKubemark {
  kubemarkCluster(): Deployer & WithKubeconfig & WithKubectl;
}
/** The deployer's cluster cannot be asked for `kubectl version` by the run (conformance). */
export interface WithoutKubectlVersion {
  readonly skipsKubectlVersion: true;
}
/**
 * Down stops processes on this machine within seconds (the local deployer): TearDown runs even after a second
 * signal, which otherwise means "stop now" and skips it (a cloud teardown takes minutes).
 */
export interface WithLocalTeardown {
  readonly teardownIsLocal: true;
}

const has =
  <T>(method: keyof T & string) =>
  (d: Deployer): d is Deployer & T =>
    typeof (d as unknown as Record<string, unknown>)[method] === 'function';

export const hasInit = has<WithInit>('init');
export const hasFinish = has<WithFinish>('finish');
export const hasBuild = has<WithBuild>('build');
export const hasPublish = has<WithPublish>('publish');
export const hasKubectl = has<WithKubectl>('kubectl');
export const hasKubeconfig = has<WithKubeconfig>('kubeconfigPath');
export const hasTestArgs = has<WithTestArgs>('extraTestArgs');
export const hasDryRun = has<WithDryRun>('plannedCommands');
export const hasUpgrade = has<WithUpgrade>('upgrade');
export const hasKubemark = has<WithKubemark>('kubemarkCluster');
export const skipsKubectlVersion = (d: Deployer): boolean =>
  (d as Partial<WithoutKubectlVersion>).skipsKubectlVersion === true;
export const teardownIsLocal = (d: Deployer): boolean => (d as Partial<WithLocalTeardown>).teardownIsLocal === true;
