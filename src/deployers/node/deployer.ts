// --deployment=node: the cluster is made by the node e2e runner itself; every verb is a no-op.
import type { StepContext } from '../../api/context.js';
import type { Deployer } from '../../api/deployer.js';
import { defineDeployer } from '../../api/plugin.js';

export class NodeDeployer implements Deployer {
  readonly name = 'node';
  async up(sc: StepContext): Promise<void> {
    sc.log('deployment node: nothing to bring up');
  }
  async isUp(): Promise<void> {}
  async dumpClusterLogs(sc: StepContext): Promise<void> {
    sc.log('deployment node: logs are collected by the node e2e runner');
  }
  async testSetup(): Promise<void> {}
  async down(sc: StepContext): Promise<void> {
    sc.log('deployment node: nothing to tear down');
  }
}

export const plugin = defineDeployer({ options: () => undefined, create: () => new NodeDeployer() });
