// --deployment → a Deployer. Cloud deployers are only loaded when chosen.
import type { RunConfig } from '../cli/config.js';
import { UsageError } from '../cli/goflags.js';
import { NoneDeployer } from './none/deployer.js';
import type { Deployer } from './types.js';

export async function createDeployer(cfg: RunConfig, env: NodeJS.ProcessEnv): Promise<Deployer> {
  switch (cfg.deployment) {
    case 'none':
      return new NoneDeployer(cfg);
    case 'local':
      return new (await import('./local/deployer.js')).LocalDeployer(cfg, env);
    case 'bash':
      return new (await import('./bash/deployer.js')).BashDeployer(cfg);
    case 'kind':
      return new (await import('./kind/deployer.js')).KindDeployer(cfg, env);
    case 'gke':
      return new (await import('./gke/deployer.js')).GkeDeployer(cfg, env);
    case 'kops':
      return new (await import('./kops/deployer.js')).KopsDeployer(cfg, env);
    case 'node':
      return new (await import('./node/deployer.js')).NodeDeployer();
    case 'conformance':
      return new (await import('./conformance/deployer.js')).ConformanceDeployer(cfg);
    default:
      throw new UsageError(`--deployment=${cfg.deployment} is not implemented in this kubetest`);
  }
}
