// --deployment=gke: gcloud container (../shared/reference/kubetest.md §7). Without credentials here it is tested
// by its plan.
import type { CommonOptions } from '../../api/plugin.js';
import type { GkeOptions } from './options.js';
import { splitFields } from '../../util/gostrings.js';
import { join } from 'node:path';
import { UsageError } from '../../api/errors.js';
import { CommandDeployer, LEASED_PROJECT, type PlannedCommand, type Verb } from '../command-deployer.js';
import type { StepContext, StepOutput } from '../../api/context.js';

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
    private readonly o: GkeOptions,
    private readonly common: CommonOptions,
  ) {
    super();
    this.cluster = common.cluster;
    if (!this.cluster) throw new UsageError('--deployment=gke needs --cluster');
    // Without --gcp-project the run leases one from Boskos: its commands get it from $PROJECT.
    this.project = o.gcpProject || LEASED_PROJECT;
    const zone = o.gcpZone;
    const region = o.gcpRegion;
    if (!zone && !region) throw new UsageError('--deployment=gke needs --gcp-zone or --gcp-region');
    this.location = zone ? [`--zone=${zone}`] : [`--region=${region}`];
    this.network = o.gcpNetwork || 'default';
    for (const f of ['gcp-master-image', 'gcp-nodes', 'gcp-node-size', 'gcp-master-size']) {
      if (o.given.has(f)) throw new UsageError(`--${f} does not apply to --deployment=gke (use --gke-shape)`);
    }
    try {
      this.shape = JSON.parse(o.gkeShape) as Record<string, Pool>;
    } catch (e) {
      throw new UsageError(`invalid value for --gke-shape: ${(e as Error).message}`);
    }
    if (!this.shape['default']) throw new UsageError('--gke-shape needs a "default" node pool');
    const group = o.gkeCommandGroup;
    this.gcloud = [o.gkeGcloudCommand || 'gcloud', ...(group ? [group] : [])];
    this.kubeconfig = join(common.runDir, `gke-${this.cluster}`, 'kubeconfig');
  }

  kubectl(): string[] {
    return ['kubectl', `--kubeconfig=${this.kubeconfig}`];
  }

  kubeconfigPath(): string {
    return this.kubeconfig;
  }

  extraTestArgs(): string[] {
    const zones = 1 + splitFields(this.o.gkeAdditionalZones.replace(/,/g, ' ')).length;
    const nodes = Object.values(this.shape).reduce((s, p) => s + p.Nodes, 0) * zones;
    return [`--num-nodes=${nodes}`];
  }

  private env(): Record<string, string> {
    const e: Record<string, string> = { KUBECONFIG: this.kubeconfig };
    const environment = this.o.gkeEnvironment;
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
            c(['gcloud', 'compute', 'networks', 'create', this.network, p, `--subnet-mode=${this.o.gkeSubnetMode}`], {
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
            }),
          );
        }
        const def = this.shape['default']!;
        const create = splitFields(this.o.gkeCreateCommand);
        const version = this.common.exportEnv['CLUSTER_API_VERSION'];
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
            ...(this.o.gkeReleaseChannel ? [`--release-channel=${this.o.gkeReleaseChannel}`] : []),
            ...(this.o.gkeNodeLocations ? [`--node-locations=${this.o.gkeNodeLocations}`] : []),
            ...(this.o.gkeAdditionalZones ? [`--additional-zones=${this.o.gkeAdditionalZones}`] : []),
            ...(this.o.gcpNodeImage ? [`--image-type=${this.o.gcpNodeImage}`] : []),
            ...splitFields(this.o.gkeCreateArgs),
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
        const extra = this.o.gkeDumpAdditionalLogsCmd;
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
        if (this.network !== 'default' && this.o.gkeRemoveNetwork) {
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
      return (await this.exec(sc, argv, { captureStdout: true })).stdout.trim() !== '';
    } catch {
      return false;
    }
  }

  override async isUp(sc: StepContext): Promise<void> {
    const r = await this.exec(sc, this.commands('isUp')[0]!.argv, { captureStdout: true });
    if (r.stdout.trim() === '') throw new Error(`GKE cluster ${this.cluster} has no nodes`);
  }

  override async testSetup(sc: StepContext): Promise<StepOutput> {
    await this.runAll(sc, 'testSetup');
    return { kubeconfig: this.kubeconfig, env: { KUBERNETES_CONFORMANCE_TEST: 'yes' } };
  }
}
