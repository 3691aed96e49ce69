// --deployment=conformance: an existing cluster from --kubeconfig; Up and Down are refused.
import { StepFailure } from '../../process/errors.js';
import type { Deployer } from '../types.js';
import type { StepContext } from '../../run/step.js';
import { str, type RunConfig } from '../../cli/config.js';
import { UsageError } from '../../cli/goflags.js';

export class ConformanceDeployer implements Deployer {
  readonly name = 'conformance';
  private readonly kubeconfig: string;
  constructor(cfg: RunConfig) {
    this.kubeconfig = str(cfg, 'kubeconfig');
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
  async testSetup(sc: StepContext): Promise<void> {
    sc.run.env['KUBECONFIG'] = this.kubeconfig;
    sc.run.env['KUBERNETES_CONFORMANCE_TEST'] = 'y';
  }
}
