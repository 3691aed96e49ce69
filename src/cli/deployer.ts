// --deployment → a Deployer: the registry's plug-in reads its own typed options (and refuses bad ones),
// then creates the deployer. Only the chosen plug-in's code is loaded.
import type { Deployer } from '../api/deployer.js';
import { UsageError } from '../api/errors.js';
import type { CommonOptions } from '../api/plugin.js';
import { findDeployer } from '../deployers/registry.js';
import type { RunConfig } from '../run/config.js';

export function commonOptions(cfg: RunConfig, env: NodeJS.ProcessEnv): CommonOptions {
  return {
    deployment: cfg.deployment,
    provider: cfg.provider,
    cluster: cfg.cluster,
    workDir: cfg.workDir,
    runDir: cfg.runDir,
    cacheDir: cfg.cacheDir,
    dump: cfg.dump,
    up: cfg.up,
    down: cfg.down,
    test: cfg.test,
    dryRun: cfg.dryRun !== '',
    exportEnv: cfg.exportEnv,
    env,
    gcp: cfg.gcp,
  };
}

/** A deployer that can be planned but not run (kubetest's aks and aksengine: no plug-in here). */
function planOnlyDeployer(name: string): Deployer {
  const no = async () => {
    throw new Error(`--deployment=${name} is not implemented in this kubetest`);
  };
  return { name, up: no, isUp: no, dumpClusterLogs: no, testSetup: no, down: no };
}

export async function createDeployer(cfg: RunConfig, env: NodeJS.ProcessEnv): Promise<Deployer> {
  const entry = findDeployer(cfg.deployment);
  if (!entry?.load) {
    if (entry && cfg.dryRun) return planOnlyDeployer(entry.name);
    throw new UsageError(`--deployment=${cfg.deployment} is not implemented in this kubetest`);
  }
  const plugin = await entry.load();
  const common = commonOptions(cfg, env);
  return plugin.create(plugin.options(cfg.flags, common), common);
}
