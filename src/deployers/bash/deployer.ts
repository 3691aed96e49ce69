// --deployment=bash (kubetest's default): the cluster/ and hack/e2e-internal scripts of the release,
// typically kube-up on GCE (../shared/reference/kubetest.md §7).
import type { CommonOptions } from '../../api/plugin.js';
import type { BashOptions } from './options.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CommandDeployer, LEASED_PROJECT, type PlannedCommand, type Verb } from '../command-deployer.js';
import type { StepContext, StepOutput } from '../../api/context.js';

/** kubetest's CLUSTER_IP_RANGE from the node count. */
export function clusterIpRange(numNodes: number): string {
  if (numNodes > 4000) return '10.64.0.0/11';
  if (numNodes > 2000) return '10.64.0.0/12';
  if (numNodes > 1000) return '10.64.0.0/13';
  return '10.64.0.0/14';
}

export class BashDeployer extends CommandDeployer {
  readonly name = 'bash';
  private readonly ipRange: string;
  constructor(
    private readonly o: BashOptions,
    common: CommonOptions,
  ) {
    super();
    // As kubetest: a range only from --cluster-ip-range or a NUM_NODES that parses; else none (empty).
    const nodes = (common.exportEnv['NUM_NODES'] ?? common.env['NUM_NODES'] ?? '').trim();
    this.ipRange = o.clusterIpRange || (/^[+-]?\d+$/.test(nodes) ? clusterIpRange(Number(nodes)) : '');
  }

  extraTestArgs(): string[] {
    return this.ipRange ? [`--cluster-ip-range=${this.ipRange}`] : [];
  }

  protected commands(verb: Verb, dumpDir = '<dump>'): PlannedCommand[] {
    const logexporter = this.o.logexporterGcsPath;
    switch (verb) {
      case 'up':
        return [
          {
            argv: ['./hack/e2e-internal/e2e-up.sh'],
            env: {
              CLUSTER_IP_RANGE: this.ipRange,
              KUBE_ENABLE_NODE_LOGGING: String(this.o.bashNodeLogging),
            },
          },
        ];
      case 'isUp':
        return [{ argv: ['./hack/e2e-internal/e2e-status.sh'] }];
      case 'down':
        return [{ argv: ['./hack/e2e-internal/e2e-down.sh'] }];
      case 'dump':
        return [
          {
            argv: ['./cluster/log-dump/log-dump.sh', dumpDir, ...(logexporter ? [logexporter] : [])],
            onlyIf: async (sc: StepContext) => hasScript(sc, 'cluster/log-dump/log-dump.sh'),
          },
        ];
      case 'testSetup': {
        const proxy = this.o.gcpSshProxyInstanceName;
        if (!proxy) return [];
        return [
          {
            argv: [
              'gcloud',
              'compute',
              'instances',
              'describe',
              proxy,
              `--project=${this.o.gcpProject || LEASED_PROJECT}`,
              `--zone=${this.o.gcpZone}`,
              '--format=value(networkInterfaces[0].accessConfigs[0].natIP)',
            ],
          },
        ];
      }
    }
  }

  override async testSetup(sc: StepContext): Promise<StepOutput | void> {
    const proxy = this.o.gcpSshProxyInstanceName;
    if (!proxy) return;
    const [cmd] = this.commands('testSetup');
    const ip = (await this.exec(sc, cmd!.argv, { captureStdout: true })).stdout.trim();
    if (!ip) throw new Error(`proxy instance ${proxy} has no external IP`);
    return { env: { KUBE_SSH_BASTION: `${ip}:22` } };
  }
}

function hasScript(sc: StepContext, rel: string): boolean {
  const ok = existsSync(join(sc.kubeRoot, rel));
  if (!ok) sc.log(`${rel} not found in ${sc.kubeRoot}: no cluster logs dumped`);
  return ok;
}
