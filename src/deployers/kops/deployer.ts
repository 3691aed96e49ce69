// --deployment=kops: the kops CLI (../shared/reference/kubetest.md §7). Tested by its plan here (no cloud
// credentials).
import type { CommonOptions } from '../../api/plugin.js';
import type { KopsOptions } from './options.js';
import { splitFields } from '../../util/gostrings.js';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../api/errors.js';
import { CommandDeployer, type PlannedCommand, type Verb } from '../command-deployer.js';
import type { StepContext, StepOutput } from '../../api/context.js';

export class KopsDeployer extends CommandDeployer {
  readonly name = 'kops';
  private readonly cluster: string;
  private readonly kops: string;
  private readonly kubeconfig: string;
  private readonly env: Record<string, string>;
  private readonly sshKey: string;

  constructor(
    private readonly o: KopsOptions,
    private readonly common: CommonOptions,
  ) {
    super();
    this.cluster = o.kopsCluster || common.cluster;
    if (!this.cluster) throw new UsageError('--deployment=kops needs --cluster');
    const state = o.kopsState || common.env['KOPS_STATE_STORE'] || '';
    if (!state && (common.provider === 'aws' || common.provider === ''))
      throw new UsageError('--deployment=kops needs --kops-state (an s3:// state store)');
    this.kops = o.kops || 'kops';
    this.kubeconfig = join(common.runDir, `kops-${this.cluster}`, 'kubeconfig');
    this.sshKey = o.kopsSshKey || join(common.env['HOME'] ?? homedir(), '.ssh', 'kube_aws_rsa');
    this.env = { KOPS_STATE_STORE: state, KUBECONFIG: this.kubeconfig };
    const flags = o.kopsFeatureFlags;
    if (flags) this.env['KOPS_FEATURE_FLAGS'] = flags;
  }

  kubectl(): string[] {
    return ['kubectl', `--kubeconfig=${this.kubeconfig}`];
  }

  kubeconfigPath(): string {
    return this.kubeconfig;
  }

  protected commands(verb: Verb): PlannedCommand[] {
    const c = (argv: string[], extra: Partial<PlannedCommand> = {}): PlannedCommand => ({
      argv,
      env: this.env,
      ...extra,
    });
    const k = this.kops;
    switch (verb) {
      case 'up': {
        const zones = this.o.kopsZones;
        const opt = (flag: string, value: string) => (value ? [`${flag}=${value}`] : []);
        return [
          c([
            k,
            'create',
            'cluster',
            `--name=${this.cluster}`,
            `--ssh-public-key=${this.o.kopsSshPublicKey || `${this.sshKey}.pub`}`,
            `--node-count=${this.o.kopsNodes}`,
            `--node-volume-size=${this.o.kopsDiskSize}`,
            `--master-volume-size=${this.o.kopsDiskSize}`,
            `--master-count=${this.o.kopsMasterCount}`,
            ...(zones ? [`--zones=${zones}`] : []),
            `--master-size=${this.o.kopsMasterSize}`,
            ...opt('--kubernetes-version', this.o.kopsKubernetesVersion),
            ...opt('--admin-access', this.o.kopsAdminAccess),
            ...opt('--image', this.o.kopsImage),
            ...opt('--networking', this.o.kopsNetworkMode),
            ...opt('--override', this.o.kopsOverrides),
            ...opt('--etcd-version', this.o.kopsEtcdVersion),
            ...(this.common.provider && this.common.provider !== 'aws' ? [`--cloud=${this.common.provider}`] : []),
            ...splitFields(this.o.kopsArgs),
            '--yes',
          ]),
          c([k, 'export', 'kubecfg', this.cluster, '--admin']),
          c([k, 'validate', 'cluster', this.cluster, `--wait=${this.o.kopsUpTimeout}`]),
        ];
      }
      case 'isUp':
        return [c([k, 'validate', 'cluster', this.cluster])];
      case 'dump':
        return [
          c(
            [
              k,
              'toolbox',
              'dump',
              `--name=${this.cluster}`,
              '--dir=<dump>',
              `--private-key=${this.sshKey}`,
              ...(this.o.kopsSshUser ? [`--ssh-user=${this.o.kopsSshUser}`] : []),
            ],
            { optional: true },
          ),
        ];
      case 'testSetup':
        return [c([k, 'export', 'kubecfg', this.cluster, '--admin'])];
      case 'down':
        return [c([k, 'delete', 'cluster', this.cluster, '--yes'])];
    }
  }

  override async dumpClusterLogs(sc: StepContext, dir: string): Promise<void> {
    const [cmd] = this.commands('dump');
    const argv = cmd!.argv.map((a) => (a === '--dir=<dump>' ? `--dir=${dir}` : a));
    try {
      await sc.exec(argv, { env: { ...sc.env, ...this.env } });
    } catch (e) {
      sc.log(`ignored: ${(e as Error).message}`);
    }
  }

  override async testSetup(sc: StepContext): Promise<StepOutput> {
    await this.runAll(sc, 'testSetup');
    const env = { KUBERNETES_CONFORMANCE_TEST: 'yes', ...(this.o.kopsMultipleZones ? { MULTIZONE: 'true' } : {}) };
    return { kubeconfig: this.kubeconfig, env };
  }
}
