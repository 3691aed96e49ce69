// --deployment=none: an existing cluster, reached through --kubeconfig or $KUBECONFIG. Every verb is a
// logged no-op, as in kubetest; TestSetup exports KUBECONFIG when one was given.
import type { Deployer } from '../types.js';
import type { StepContext } from '../../run/step.js';
import type { RunConfig } from '../../cli/config.js';

export class NoneDeployer implements Deployer {
  readonly name = 'none';
  constructor(private readonly cfg: RunConfig) {}

  async up(sc: StepContext): Promise<void> {
    sc.log('deployment none: nothing to bring up');
  }
  async isUp(sc: StepContext): Promise<void> {
    sc.log('deployment none: assuming the cluster is up');
  }
  async dumpClusterLogs(sc: StepContext): Promise<void> {
    sc.log('deployment none: no cluster logs to dump');
  }
  async down(sc: StepContext): Promise<void> {
    sc.log('deployment none: nothing to tear down');
  }

  async testSetup(sc: StepContext): Promise<void> {
    const kc = this.cfg.exportEnv['KUBECONFIG'] ?? sc.run.env['KUBECONFIG'];
    if (kc) sc.run.env['KUBECONFIG'] = kc;
  }
}
