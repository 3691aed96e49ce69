// --deployment=local: a real control plane on loopback, started from the release in kubernetes/, with kwok
// nodes. It owns exactly what it starts (state file in <workdir>/_rundir/local/<cluster>/) and removes
// exactly that; kubetest's version ran local-up-cluster.sh and killed every container on the host.
import type { StepContext, StepOutput } from '../../api/context.js';
import type { Deployer } from '../../api/deployer.js';
import type { CommonOptions } from '../../api/plugin.js';
import { StepFailure } from '../../process/errors.js';
import { sleep } from '../../process/proctable.js';
import { clusterPaths, logTail, type ClusterPaths } from './cluster.js';
import { dumpCluster } from './dump.js';
import { downCluster } from './down.js';
import { isRunning, readState, type ClusterState } from './state.js';
import { findReleaseBinary } from '../../testers/ginkgo.js';
import { join } from 'node:path';
import { goArch } from '../../util/platform.js';
import { KwokNodes } from './nodes/kwok.js';
import { KubeletNodes } from './nodes/kubelet/index.js';
import type { NodeProvider } from './nodes/types.js';
import type { LocalOptions } from './options.js';

export class LocalDeployer implements Deployer {
  readonly name = 'local';
  readonly clusterName: string;
  readonly paths: ClusterPaths;
  private upInFlight: Promise<unknown> | undefined;

  constructor(
    private readonly o: LocalOptions,
    private readonly common: CommonOptions,
  ) {
    this.clusterName = o.clusterName;
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(this.clusterName)) {
      throw new StepFailure(`--cluster=${this.clusterName}: use lowercase letters, digits and dashes`);
    }
    this.paths = clusterPaths(common.runDir, this.clusterName);
  }

  state(): ClusterState | undefined {
    return readState(this.paths.dir);
  }

  kubectl(): string[] {
    const st = this.state();
    const root = join(this.common.workDir, 'kubernetes');
    const kubectl =
      st?.kubectl ?? findReleaseBinary(root, 'kubectl') ?? join(root, 'platforms', 'linux', goArch(), 'kubectl');
    return [kubectl, `--kubeconfig=${this.kubeconfigOf(st)}`];
  }

  kubeconfigPath(): string {
    return this.kubeconfigOf(this.state());
  }

  private kubeconfigOf(st: ClusterState | undefined): string {
    return st?.kubeconfig ?? this.paths.adminKubeconfig;
  }

  plannedCommands(verb: string): string[][] {
    if (verb !== 'up') return [];
    return [
      ['etcd', '--data-dir=<rundir>/local/<cluster>/etcd', '--listen-client-urls=http://127.0.0.1:<port>', '...'],
      [
        'kube-apiserver',
        '--bind-address=127.0.0.1',
        '--secure-port=<port>',
        '--etcd-servers=http://127.0.0.1:<port>',
        '...',
      ],
      ['kube-controller-manager', '--bind-address=127.0.0.1', '...'],
      ['kube-scheduler', '--bind-address=127.0.0.1', '...'],
      ['kwok', '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake', '...'],
      ['kubectl', 'apply', '-f', '-'],
    ];
  }

  async up(sc: StepContext): Promise<void> {
    const { upCluster } = await import('./up.js');
    const p = upCluster(sc, {
      name: this.clusterName,
      paths: this.paths,
      nodes: this.nodeProvider(),
      cacheDir: this.common.cacheDir,
      apiserverPort: this.o.apiserverPort,
      runtimeConfig: this.o.runtimeConfig,
    });
    this.upInFlight = p.catch(() => undefined);
    try {
      await p;
    } finally {
      this.upInFlight = undefined;
    }
  }

  async down(sc: StepContext): Promise<void> {
    // An interrupted Up may still be between two starts: let it stop first (it checks the abort signal).
    if (this.upInFlight) await Promise.race([this.upInFlight, sleep(10_000)]);
    const t0 = Date.now();
    const r = await downCluster(this.paths.dir, sc.log, undefined, (recorded) => {
      const p = this.nodeProvider(recorded);
      return p.cleanup ? (dir, log) => p.cleanup!(dir, log) : undefined;
    });
    if (!r.foundState) sc.log(`no local cluster ${this.clusterName} to tear down`);
    else
      sc.log(
        `local cluster ${this.clusterName} down in ${((Date.now() - t0) / 1000).toFixed(1)}s (stopped: ${r.stopped.join(', ') || 'none'}${r.killed.length ? `; killed: ${r.killed.join(', ')}` : ''})`,
      );
  }

  private requireState(): ClusterState {
    const st = this.state();
    if (!st) throw new StepFailure(`no local cluster ${this.clusterName} in ${this.paths.dir}: run with --up first`);
    return st;
  }

  /** A component that died makes the cluster unusable: say which one, and quote its log. */
  private checkAlive(st: ClusterState): void {
    for (const c of st.components) {
      if (!isRunning(c)) {
        const tail = logTail(c.logFile, 30);
        throw new StepFailure(
          `${c.name} (pid ${c.pid}) of local cluster ${this.clusterName} is not running; log: ${c.logFile}`,
          tail,
        );
      }
    }
  }

  async isUp(sc: StepContext): Promise<void> {
    const st = this.requireState();
    const kubectl = this.kubectl()!;
    const timeout = this.o.upTimeoutMs;
    const until = Date.now() + timeout;
    let last = '';
    for (;;) {
      this.checkAlive(st);
      try {
        const r = await sc.exec([...kubectl, 'get', 'nodes', '-o', 'json'], { captureStdout: true, verbose: false });
        const nodes = (
          JSON.parse(r.stdout) as {
            items: Array<{ status?: { conditions?: Array<{ type: string; status: string }> } }>;
          }
        ).items;
        const ready = nodes.filter((n) =>
          n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
        ).length;
        if (ready >= 1) {
          sc.log(`${ready}/${nodes.length} node(s) Ready`);
          return;
        }
        last = `${nodes.length} node(s), none Ready`;
      } catch (e) {
        last = (e as Error).message;
      }
      if (Date.now() > until)
        throw new StepFailure(
          `local cluster ${this.clusterName}: no Ready node within ${Math.round(timeout / 1000)}s (--local-up-timeout): ${last}`,
        );
      await sleep(1000, sc.signal);
    }
  }

  async testSetup(): Promise<StepOutput> {
    const st = this.requireState();
    return {
      kubeconfig: this.kubeconfigOf(st),
      env: { KUBERNETES_CONFORMANCE_TEST: 'yes', KUBERNETES_PROVIDER: 'local' },
    };
  }

  /** The configured node type, or the one a state file recorded (a split --down cleans up after it). */
  private nodeProvider(type: string = this.o.nodeType): NodeProvider {
    if (type === 'kubelet') return new KubeletNodes(this.o.nodes, this.common.cacheDir);
    return new KwokNodes(this.o.nodes, this.common.cacheDir);
  }

  async dumpClusterLogs(sc: StepContext, dir: string): Promise<void> {
    const st = this.state();
    if (!st) {
      sc.log(`no local cluster ${this.clusterName}: nothing to dump`);
      return;
    }
    await dumpCluster(sc, st, dir, this.kubectl()!);
  }
}
