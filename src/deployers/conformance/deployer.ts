// --deployment=conformance: an existing cluster from --kubeconfig; Up and Down are refused.
import type { ConformanceOptions } from './options.js';
import { StepFailure } from '../../process/errors.js';
import type { Deployer } from '../../api/deployer.js';
import type { StepContext, StepOutput } from '../../api/context.js';
import { UsageError } from '../../api/errors.js';

export class ConformanceDeployer implements Deployer {
  readonly name = 'conformance';
  private readonly kubeconfig: string;
  readonly skipsKubectlVersion = true;
  constructor(o: ConformanceOptions) {
    this.kubeconfig = o.kubeconfig;
    if (!this.kubeconfig) throw new UsageError('--deployment=conformance needs --kubeconfig');
  }
  kubectl(): string[] {
    return ['kubectl', `--kubeconfig=${this.kubeconfig}`];
  }
  plannedCommands(verb: string): string[][] {
    return verb === 'isUp' ? [[...this.kubectl(), 'get', '--raw=/readyz']] : [];
  }
  async up(): Promise<void> {
    throw new StepFailure('--deployment=conformance cannot bring a cluster up (it tests an existing one)');
  }
  async down(): Promise<void> {
    throw new StepFailure('--deployment=conformance cannot tear a cluster down');
  }
  async isUp(sc: StepContext): Promise<void> {
    await sc.exec([...this.kubectl(), 'get', '--raw=/readyz']);
  }
  async dumpClusterLogs(): Promise<void> {}
  async testSetup(): Promise<StepOutput> {
    return { kubeconfig: this.kubeconfig, env: { KUBERNETES_CONFORMANCE_TEST: 'y' } };
  }
}
