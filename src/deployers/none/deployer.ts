// --deployment=none: an existing cluster, reached through --kubeconfig or $KUBECONFIG. Every verb is a
// logged no-op, as in kubetest; TestSetup exports KUBECONFIG when one was given.
import type { StepContext, StepOutput } from '../../api/context.js';
import type { Deployer } from '../../api/deployer.js';
import { defineDeployer, type CommonOptions } from '../../api/plugin.js';

export class NoneDeployer implements Deployer {
  readonly name = 'none';
  constructor(private readonly common: CommonOptions) {}

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

  async testSetup(sc: StepContext): Promise<StepOutput | void> {
    const kc = this.common.exportEnv['KUBECONFIG'] ?? sc.env['KUBECONFIG'];
    if (kc) return { kubeconfig: kc };
  }
}

export const plugin = defineDeployer({ options: () => undefined, create: (_o, common) => new NoneDeployer(common) });
