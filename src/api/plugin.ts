// A deployer plug-in: its flags are declared in its folder (registry.ts lists them); at run time it turns
// flag values into its own typed options (validating them) and creates the deployer from those.
import type { Deployer } from './deployer.js';
import type { FlagValues } from './flags.js';

/** GCP settings several deployers share (gke, bash on gce, kops on gce) and the extract of gke versions. */
export interface GcpOptions {
  project: string;
  zone: string;
  region: string;
  network: string;
}

/** What every deployer may know about the run, decided by the CLI. */
export interface CommonOptions {
  deployment: string;
  provider: string;
  cluster: string;
  workDir: string;
  /** <workDir>/_rundir: deployer state that split up/test/down invocations share. */
  runDir: string;
  cacheDir: string;
  /** --dump, absolute, or ''. */
  dump: string;
  up: boolean;
  down: boolean;
  test: boolean;
  dryRun: boolean;
  /** Env exported to every child, known before the run starts (flags migrated to env, see cli/env.ts). */
  exportEnv: Readonly<Record<string, string>>;
  /** kubetest's environment as inherited. */
  env: Readonly<NodeJS.ProcessEnv>;
  gcp: GcpOptions;
}

export interface DeployerPlugin<O = unknown> {
  /** Typed options from flag values; throws UsageError (exit 2) on bad input. */
  options(values: FlagValues, common: CommonOptions): O;
  create(options: O, common: CommonOptions): Deployer;
}

export const defineDeployer = <O>(p: DeployerPlugin<O>): DeployerPlugin<O> => p;
