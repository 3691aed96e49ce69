// --deployment=kind: the kind CLI (../shared/reference/kubetest.md §7). kind needs a container engine; without one (as
// on this project's CI machine) it is tested by the exact commands it runs.
import type { CommonOptions } from '../../api/plugin.js';
import type { KindOptions } from './options.js';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CommandDeployer, type PlannedCommand, type Verb } from '../command-deployer.js';
import type { StepContext, StepOutput } from '../../api/context.js';

export class KindDeployer extends CommandDeployer {
  readonly name = 'kind';
  readonly clusterName: string;
  readonly kubeconfigFile: string;
  constructor(
    private readonly o: KindOptions,
    common: CommonOptions,
  ) {
    super();
    this.clusterName = o.kindClusterName;
    this.kubeconfigFile =
      o.kindKubeconfigPath ||
      join(common.env['HOME'] ?? homedir(), '.kubetest', 'kind', this.clusterName, 'kubeconfig');
  }

  kubectl(): string[] {
    return ['kubectl', `--kubeconfig=${this.kubeconfigFile}`];
  }

  kubeconfigPath(): string {
    return this.kubeconfigFile;
  }

  private async listed(sc: StepContext): Promise<boolean> {
    const r = await sc.exec(['kind', 'get', 'clusters'], { captureStdout: true });
    return r.stdout
      .split('\n')
      .map((l) => l.trim())
      .includes(this.clusterName);
  }

  protected commands(verb: Verb, dumpDir = '<dump>'): PlannedCommand[] {
    const n = this.clusterName;
    switch (verb) {
      case 'up': {
        const config = this.o.kindConfigPath;
        const image = this.o.kindNodeImage;
        return [
          {
            argv: [
              'kind',
              'create',
              'cluster',
              '--retain',
              '--wait=1m',
              '--verbosity=9',
              ...(config ? [`--config=${config}`] : []),
              ...(image ? [`--image=${image}`] : []),
              `--name=${n}`,
              `--kubeconfig=${this.kubeconfigFile}`,
            ],
          },
        ];
      }
      case 'isUp':
        return [{ argv: [...this.kubectl(), 'get', 'nodes', '--no-headers'] }];
      case 'dump':
        return [{ argv: ['kind', 'export', 'logs', dumpDir, `--name=${n}`], optional: true }];
      case 'down':
        return [
          {
            argv: ['kind', 'delete', 'cluster', `--name=${n}`, `--kubeconfig=${this.kubeconfigFile}`],
            onlyIf: (sc) => this.listed(sc),
          },
        ];
      case 'testSetup':
        return [];
    }
  }

  override async isUp(sc: StepContext): Promise<void> {
    const r = await sc.exec(this.commands('isUp')[0]!.argv, { captureStdout: true });
    if (r.stdout.trim() === '') throw new Error(`kind cluster ${this.clusterName} has no nodes`);
  }

  override async testSetup(): Promise<StepOutput> {
    return { env: { KUBERNETES_CONFORMANCE_TEST: 'y' }, kubeconfig: this.kubeconfigFile };
  }
}
