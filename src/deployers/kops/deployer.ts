// --deployment=kops: the kops CLI (reference §7). Tested by its plan here (no cloud credentials).
import { homedir } from 'node:os';
import { join } from 'node:path';
import { bool, int, splitFields, str, type RunConfig } from '../../cli/config.js';
import { UsageError } from '../../cli/goflags.js';
import { CommandDeployer, type PlannedCommand, type Verb } from '../command-deployer.js';
import type { StepContext } from '../../run/step.js';

export class KopsDeployer extends CommandDeployer {
  readonly name = 'kops';
  private readonly cluster: string;
  private readonly kops: string;
  private readonly kubeconfig: string;
  private readonly env: Record<string, string>;
  private readonly sshKey: string;

  constructor(
    private readonly cfg: RunConfig,
    env: NodeJS.ProcessEnv,
  ) {
    super();
    this.cluster = str(cfg, 'kops-cluster') || cfg.cluster;
    if (!this.cluster) throw new UsageError('--deployment=kops needs --cluster');
    const state = str(cfg, 'kops-state') || env['KOPS_STATE_STORE'] || '';
    if (!state && (cfg.provider === 'aws' || cfg.provider === ''))
      throw new UsageError('--deployment=kops needs --kops-state (an s3:// state store)');
    this.kops = str(cfg, 'kops') || 'kops';
    this.kubeconfig = join(cfg.workDir, '_rundir', `kops-${this.cluster}`, 'kubeconfig');
    this.sshKey = str(cfg, 'kops-ssh-key') || join(env['HOME'] ?? homedir(), '.ssh', 'kube_aws_rsa');
    this.env = { KOPS_STATE_STORE: state, KUBECONFIG: this.kubeconfig };
    const flags = str(cfg, 'kops-feature-flags');
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
        const zones = str(this.cfg, 'kops-zones');
        const opt = (flag: string, name: string) => (str(this.cfg, name) ? [`${flag}=${str(this.cfg, name)}`] : []);
        return [
          c([
            k,
            'create',
            'cluster',
            `--name=${this.cluster}`,
            `--ssh-public-key=${str(this.cfg, 'kops-ssh-public-key') || `${this.sshKey}.pub`}`,
            `--node-count=${int(this.cfg, 'kops-nodes')}`,
            `--node-volume-size=${int(this.cfg, 'kops-disk-size')}`,
            `--master-volume-size=${int(this.cfg, 'kops-disk-size')}`,
            `--master-count=${int(this.cfg, 'kops-master-count')}`,
            ...(zones ? [`--zones=${zones}`] : []),
            `--master-size=${str(this.cfg, 'kops-master-size')}`,
            ...opt('--kubernetes-version', 'kops-kubernetes-version'),
            ...opt('--admin-access', 'kops-admin-access'),
            ...opt('--image', 'kops-image'),
            ...opt('--networking', 'kops-network-mode'),
            ...opt('--override', 'kops-overrides'),
            ...opt('--etcd-version', 'kops-etcd-version'),
            ...(this.cfg.provider && this.cfg.provider !== 'aws' ? [`--cloud=${this.cfg.provider}`] : []),
            ...splitFields(str(this.cfg, 'kops-args')),
            '--yes',
          ]),
          c([k, 'export', 'kubecfg', this.cluster, '--admin']),
          c([k, 'validate', 'cluster', this.cluster, `--wait=${str(this.cfg, 'kops-up-timeout')}`]),
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
              ...(str(this.cfg, 'kops-ssh-user') ? [`--ssh-user=${str(this.cfg, 'kops-ssh-user')}`] : []),
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
      await sc.exec(argv, { env: { ...sc.run.env, ...this.env } });
    } catch (e) {
      sc.log(`ignored: ${(e as Error).message}`);
    }
  }

  override async testSetup(sc: StepContext): Promise<void> {
    await this.runAll(sc, 'testSetup');
    sc.run.env['KUBECONFIG'] = this.kubeconfig;
    sc.run.env['KUBERNETES_CONFORMANCE_TEST'] = 'yes';
    if (bool(this.cfg, 'kops-multiple-zones')) sc.run.env['MULTIZONE'] = 'true';
  }
}
