// The validated, typed configuration of one run. cli/config.ts builds it from argv and the environment;
// nothing below cli/ reads flags by name.
import type { FlagValues } from '../api/flags.js';
import type { GcpOptions } from '../api/plugin.js';
import type { Knobs } from '../release/knobs.js';
import type { ExtractStrategy } from '../release/strategies.js';

export const MAKE_BUILDS = ['quick', 'release', 'host-go', 'bazel', 'e2e', 'gce-windows-bazel'] as const;
export type BuildStrategy = (typeof MAKE_BUILDS)[number] | 'module' | 'none' | '';
export const DEFAULT_BUILD_VERSION = 'v1.36.3';

export interface StageTarget {
  /** gs://bucket/ci/suffix as given */
  url: string;
  scheme: 'gs' | 's3' | 'file';
  bucket: string;
  ci: boolean;
  suffix: string;
}

/** --test-cmd and its hooks. */
export interface TestCommandOptions {
  /** --test-cmd, env-expanded at run time; '' when not given. */
  cmd: string;
  args: string[];
  /** --test-cmd-name: the junit name ('' ⇒ the command). */
  name: string;
  preCmd: string;
  postCmd: string;
}

export interface BoskosOptions {
  url: string;
  owner: string;
  waitMs: number;
  /** 0: no heartbeat. */
  heartbeatMs: number;
  /** How long a lease handed over between split invocations is kept without a --down. */
  leaseTtlMs: number;
}

export interface RunConfig {
  argv: readonly string[];
  help: boolean;
  version: boolean;
  dryRun: '' | 'text' | 'json';
  /** The parsed flags, for plug-ins to read their own (deployers/registry.ts). */
  flags: FlagValues;

  up: boolean;
  down: boolean;
  test: boolean;
  deployment: string;
  provider: string;
  cluster: string;
  timeoutMs: number;
  cleanupGraceMs: number;
  verbose: boolean;

  build: BuildStrategy;
  buildVersion: string;
  buildOutput: string;
  flushMemAfterBuild: boolean;
  stage: StageTarget | undefined;
  stageSuffix: string;
  noAllowDup: boolean;
  extract: ExtractStrategy[];
  extractBaseUrl: string;
  extractCiBucket: string;
  extractReleaseBucket: string;
  extractSource: boolean;
  /** --save: where cluster state is saved (with --up) or loaded from (without). */
  save: string;
  /** --upload: where the artifacts go in Prow's layout at the end ('' = no upload). */
  upload: string;
  /** --publish: where the version marker is published on success. */
  publish: string;

  dump: string; // absolute or ''
  artifacts: string; // $ARTIFACTS, absolute or ''
  skipDumpClusterLogs: boolean;
  dumpPreTestLogs: string;
  metadataSources: string;
  ginkgoParallel: number;
  testArgs: string[];
  checkVersionSkew: boolean;
  testCmd: TestCommandOptions;
  upgradeArgs: string;
  skew: boolean;
  nodeTests: boolean;
  kubemark: boolean;
  charts: boolean;
  checkLeakedResources: boolean;
  gcp: GcpOptions;
  /** --gcp-service-account: a key file to activate before anything talks to GCP. */
  gcpServiceAccount: string;
  /** --gcp-cloud-sdk: where google-cloud-sdk.tar.gz is (gs://, s3://, file://) to install before anything else. */
  gcpCloudSdk: string;
  /** --gke-command-group: also how --extract=gke asks gcloud for versions. */
  gkeCommandGroup: string;
  /** --gcp-project-type: the Boskos resource type to lease. */
  gcpProjectType: string;
  /** --boskos-*: where leases come from, as whom ($JOB_NAME), and how they are kept. */
  boskos: BoskosOptions;
  /** Flags given on the command line or by --config (not defaults, not env fallbacks). */
  given: ReadonlySet<string>;
  /** The values of those flags (and of --config's keys), for reports. */
  explicit: Readonly<Record<string, string | number | boolean | string[]>>;
  /** --rerun-failed: the artifacts dir or junit file whose failed specs this run focuses on; '' when not given. */
  rerunFailed: string;

  workDir: string;
  /** <workDir>/_rundir: state that split up/test/down invocations share. */
  runDir: string;
  cacheDir: string;
  /** Env exported to every child (on top of the inherited environment), known before the run starts. */
  exportEnv: Record<string, string>;
  /** The KUBETEST_* numeric env knobs, validated. */
  knobs: Knobs;
}
