// --deployment=gke: gcloud container (reference §7). Without credentials here it is tested by its plan.
import { join } from 'node:path';
import { bool, str, type RunConfig } from '../../cli/config.js';
import { splitFields } from '../../cli/config.js';
import { UsageError } from '../../cli/goflags.js';
import { CommandDeployer, type PlannedCommand, type Verb } from '../command-deployer.js';
import type { StepContext } from '../../run/step.js';

interface Pool {
  Nodes: number;
  MachineType: string;
  ExtraArgs?: string[];
}

export class GkeDeployer extends CommandDeployer {
  readonly name = 'gke';
  private readonly project: string;
  private readonly cluster: string;
  private readonly location: string[];
  private readonly network: string;
  private readonly shape: Record<string, Pool>;
  private readonly gcloud: string[];
  private readonly kubeconfig: string;

  constructor(
    private readonly cfg: RunConfig,
    env: NodeJS.ProcessEnv,
  ) {
    super();
    this.cluster = cfg.cluster;
    if (!this.cluster) throw new UsageError('--deployment=gke needs --cluster');
    this.project = str(cfg, 'gcp-project');
    // A plan needs no credentials: --dry-run shows the Boskos lease in place of the project.
    if (!this.project && !cfg.dryRun)
      throw new UsageError('--deployment=gke needs --gcp-project (leasing from Boskos is not implemented yet)');
    if (!this.project) this.project = '<leased project>';
    const zone = str(cfg, 'gcp-zone');
    const region = str(cfg, 'gcp-region');
    if (!zone && !region) throw new UsageError('--deployment=gke needs --gcp-zone or --gcp-region');
    this.location = zone ? [`--zone=${zone}`] : [`--region=${region}`];
    this.network = str(cfg, 'gcp-network') || 'default';
    for (const f of ['gcp-master-image', 'gcp-nodes', 'gcp-node-size', 'gcp-master-size']) {
      if (cfg.given.has(f)) throw new UsageError(`--${f} does not apply to --deployment=gke (use --gke-shape)`);
    }
    try {
      this.shape = JSON.parse(str(cfg, 'gke-shape')) as Record<string, Pool>;
    } catch (e) {
      throw new UsageError(`invalid value for --gke-shape: ${(e as Error).message}`);
    }
    if (!this.shape['default']) throw new UsageError('--gke-shape needs a "default" node pool');
    const group = str(cfg, 'gke-command-group');
    this.gcloud = [str(cfg, 'gke-gcloud-command') || 'gcloud', ...(group ? [group] : [])];
    this.kubeconfig = join(cfg.workDir, '_rundir', `gke-${this.cluster}`, 'kubeconfig');
    void env;
  }

  kubectl(): string[] {
    return ['kubectl', `--kubeconfig=${this.kubeconfig}`];
  }

  kubeconfigPath(): string {
    return this.kubeconfig;
  }

  extraTestArgs(): string[] {
    const zones = 1 + splitFields(str(this.cfg, 'gke-additional-zones').replace(/,/g, ' ')).length;
    const nodes = Object.values(this.shape).reduce((s, p) => s + p.Nodes, 0) * zones;
    return [`--num-nodes=${nodes}`];
  }

  private env(): Record<string, string> {
    const e: Record<string, string> = { KUBECONFIG: this.kubeconfig };
    const environment = str(this.cfg, 'gke-environment');
    const endpoints: Record<string, string> = {
      test: 'https://test-container.sandbox.googleapis.com/',
      staging: 'https://staging-container.sandbox.googleapis.com/',
      prod: 'https://container.googleapis.com/',
    };
    if (environment) e['CLOUDSDK_API_ENDPOINT_OVERRIDES_CONTAINER'] = endpoints[environment] ?? environment;
    return e;
  }

  protected commands(verb: Verb, dumpDir = '<dump>'): PlannedCommand[] {
    const p = `--project=${this.project}`;
    const env = this.env();
    const c = (argv: string[], extra: Partial<PlannedCommand> = {}): PlannedCommand => ({ argv, env, ...extra });
    switch (verb) {
      case 'up': {
        const out: PlannedCommand[] = [];
        if (this.network !== 'default') {
          out.push(
            c(
              [
                'gcloud',
                'compute',
                'networks',
                'create',
                this.network,
                p,
                `--subnet-mode=${str(this.cfg, 'gke-subnet-mode')}`,
              ],
              {
                onlyIf: async (sc) =>
                  !(await this.exists(sc, [
                    'gcloud',
                    'compute',
                    'networks',
                    'describe',
                    this.network,
                    p,
                    '--format=value(name)',
                  ])),
              },
            ),
          );
        }
        const def = this.shape['default']!;
        const create = splitFields(str(this.cfg, 'gke-create-command'));
        const version = this.cfg.exportEnv['CLUSTER_API_VERSION'];
        out.push(
          c([
            ...this.gcloud,
            ...create,
            this.cluster,
            p,
            ...this.location,
            `--machine-type=${def.MachineType}`,
            `--num-nodes=${def.Nodes}`,
            `--network=${this.network}`,
            ...(version ? [`--cluster-version=${version}`] : []),
            ...(str(this.cfg, 'gke-release-channel')
              ? [`--release-channel=${str(this.cfg, 'gke-release-channel')}`]
              : []),
            ...(str(this.cfg, 'gke-node-locations') ? [`--node-locations=${str(this.cfg, 'gke-node-locations')}`] : []),
            ...(str(this.cfg, 'gke-additional-zones')
              ? [`--additional-zones=${str(this.cfg, 'gke-additional-zones')}`]
              : []),
            ...(str(this.cfg, 'gcp-node-image') ? [`--image-type=${str(this.cfg, 'gcp-node-image')}`] : []),
            ...splitFields(str(this.cfg, 'gke-create-args')),
            ...(def.ExtraArgs ?? []),
          ]),
        );
        for (const [name, pool] of Object.entries(this.shape)) {
          if (name === 'default') continue;
          out.push(
            c([
              ...this.gcloud,
              'container',
              'node-pools',
              'create',
              name,
              `--cluster=${this.cluster}`,
              p,
              ...this.location,
              `--machine-type=${pool.MachineType}`,
              `--num-nodes=${pool.Nodes}`,
              ...(pool.ExtraArgs ?? []),
            ]),
          );
        }
        out.push(c([...this.gcloud, 'container', 'clusters', 'get-credentials', this.cluster, p, ...this.location]));
        return out;
      }
      case 'isUp':
        return [c([...this.kubectl(), 'get', 'nodes', '--no-headers'])];
      case 'dump': {
        const extra = str(this.cfg, 'gke-dump-additional-logs-cmd');
        return [
          c(['./cluster/log-dump/log-dump.sh', dumpDir], { optional: true }),
          ...(extra ? [c(splitFields(extra), { optional: true })] : []),
        ];
      }
      case 'testSetup':
        return [c([...this.gcloud, 'container', 'clusters', 'get-credentials', this.cluster, p, ...this.location])];
      case 'down': {
        const out: PlannedCommand[] = [
          c([...this.gcloud, 'container', 'clusters', 'delete', '--quiet', this.cluster, p, ...this.location], {
            onlyIf: (sc) =>
              this.exists(sc, [
                ...this.gcloud,
                'container',
                'clusters',
                'describe',
                this.cluster,
                p,
                ...this.location,
                '--format=value(name)',
              ]),
          }),
        ];
        if (this.network !== 'default' && bool(this.cfg, 'gke-remove-network')) {
          out.push(
            c(['gcloud', 'compute', 'networks', 'delete', '--quiet', this.network, p], {
              onlyIf: (sc) =>
                this.exists(sc, ['gcloud', 'compute', 'networks', 'describe', this.network, p, '--format=value(name)']),
            }),
          );
        }
        return out;
      }
    }
  }

  private async exists(sc: StepContext, argv: string[]): Promise<boolean> {
    try {
      return (await sc.exec(argv, { captureStdout: true })).stdout.trim() !== '';
    } catch {
      return false;
    }
  }

  override async isUp(sc: StepContext): Promise<void> {
    const r = await sc.exec(this.commands('isUp')[0]!.argv, { captureStdout: true });
    if (r.stdout.trim() === '') throw new Error(`GKE cluster ${this.cluster} has no nodes`);
  }

  override async testSetup(sc: StepContext): Promise<void> {
    await this.runAll(sc, 'testSetup');
    sc.run.env['KUBECONFIG'] = this.kubeconfig;
    sc.run.env['KUBERNETES_CONFORMANCE_TEST'] = 'yes';
  }
}
