// --deployment=local: a real control plane on loopback, started from the release in kubernetes/, with kwok
// nodes. It owns exactly what it starts (state file in <workdir>/_rundir/local/<cluster>/) and removes
// exactly that; kubetest's version ran local-up-cluster.sh and killed every container on the host.
import type { StepContext, StepOutput } from '../../api/context.js';
import type { Deployer, WithLocalTeardown } from '../../api/deployer.js';
import type { CommonOptions } from '../../api/plugin.js';
import { StepFailure } from '../../process/errors.js';
import { sleep } from '../../process/proctable.js';
import { poll } from '../../util/poll.js';
import { clusterPaths, logTail, type ClusterPaths } from './cluster.js';
import { isRunning, readState, type ClusterState } from './state.js';
import { findReleaseBinary } from '../../release/find-binary.js';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { acquirePidLock, LockHeld } from '../../process/pidlock.js';
import { goArch } from '../../util/platform.js';
import type { DownResult } from './down.js';
import type { NodeProvider } from './nodes/types.js';
import type { LocalOptions } from './options.js';

export class LocalDeployer implements Deployer, WithLocalTeardown {
  readonly name = 'local';
  readonly teardownIsLocal = true;
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
      ['etcd', '--data-dir=<rundir>/local/<cluster>/etcd', '--listen-client-urls=https://127.0.0.1:<port>', '...'],
      [
        'kube-apiserver',
        '--bind-address=127.0.0.1',
        '--secure-port=<port>',
        '--etcd-servers=https://127.0.0.1:<port>',
        '...',
      ],
      ['kube-controller-manager', '--bind-address=127.0.0.1', '...'],
      ['kube-scheduler', '--bind-address=127.0.0.1', '...'],
      ['kwok', '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake', '...'],
    ];
  }

  /** One up or down of this cluster at a time: a second run fails at once, naming the holder. */
  private lock(): () => void {
    mkdirSync(dirname(this.paths.dir), { recursive: true });
    const file = `${this.paths.dir}.lock`;
    try {
      return acquirePidLock(file);
    } catch (e) {
      if (e instanceof LockHeld)
        throw new StepFailure(`local cluster ${this.clusterName} is busy: kubetest pid ${e.holder} holds ${file}`);
      throw e;
    }
  }

  /** Build capability: what the nodes run is built with the release, so Up only starts things. */
  async build(sc: StepContext): Promise<void> {
    await (await this.nodeProvider()).prepare(sc);
  }

  async up(sc: StepContext): Promise<void> {
    const release = this.lock();
    try {
      await this.upLocked(sc);
    } finally {
      release();
    }
  }

  private async upLocked(sc: StepContext): Promise<void> {
    const { upCluster } = await import('./up.js');
    const p = upCluster(sc, {
      name: this.clusterName,
      paths: this.paths,
      nodes: await this.nodeProvider(),
      cacheDir: this.common.cacheDir,
      apiserverPort: this.o.apiserverPort,
      runtimeConfig: this.o.runtimeConfig,
      seedBootstrap: this.o.seedBootstrap,
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
    const release = this.lock();
    let r;
    try {
      r = await this.downLocked(sc);
    } finally {
      release();
    }
    if (!r.foundState) sc.log(`no local cluster ${this.clusterName} to tear down`);
    else
      sc.log(
        `local cluster ${this.clusterName} down in ${((Date.now() - t0) / 1000).toFixed(1)}s (stopped: ` +
          `${r.stopped.join(', ') || 'none'}${r.killed.length ? `; killed: ${r.killed.join(', ')}` : ''})`,
      );
  }

  /**
   * Kubemark capability (--kubemark): a second local cluster, <cluster>-kubemark, whose nodes are
   * --kubemark-nodes kubemark hollow nodes (kubetest's kubemark also ran a master of its own).
   */
  kubemarkCluster(): LocalDeployer {
    return new LocalDeployer(
      { ...this.o, clusterName: `${this.clusterName}-kubemark`, nodeType: 'kubemark', nodes: this.o.kubemarkNodes },
      this.common,
    );
  }

  /** Upgrade capability: the control plane restarted on the other release's binaries, etcd data kept. */
  async upgrade(sc: StepContext, toKubeRoot: string): Promise<void> {
    const release = this.lock();
    try {
      const { upgradeControlPlane } = await import('./upgrade.js');
      const t0 = Date.now();
      const { from, to } = await upgradeControlPlane(sc, this.requireState(), this.paths, toKubeRoot);
      const secs = ((Date.now() - t0) / 1000).toFixed(1);
      sc.log(`local cluster ${this.clusterName} upgraded ${from} → ${to} in ${secs}s`);
    } finally {
      release();
    }
  }

  private async downLocked(sc: StepContext): Promise<DownResult> {
    const { downCluster } = await import('./down.js');
    return downCluster(this.paths.dir, sc.log, undefined, async (recorded) => {
      const p = await this.nodeProvider(recorded);
      return p.cleanup ? (dir, log) => p.cleanup!(dir, log) : undefined;
    });
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
    // HTTP and process code load with the verbs that use them: a dry run plans without them.
    const { nodeReadiness } = await import('./health.js');
    await poll(
      async () => {
        this.checkAlive(st);
        const r = await sc.exec([...kubectl, 'get', 'nodes', '-o', 'json'], { captureStdout: true, verbose: false });
        const { ready, total } = nodeReadiness(r.stdout);
        if (ready === 0) throw new Error(`${total} node(s), none Ready`);
        sc.log(`${ready}/${total} node(s) Ready`);
        return true;
      },
      {
        timeoutMs: timeout,
        intervalMs: 1000,
        signal: sc.signal,
        what: `local cluster ${this.clusterName}`,
        // A component that died makes waiting pointless: checkAlive throws with its log tail.
        alive: () => (this.checkAlive(st), true),
        timeoutMessage: (last) =>
          `local cluster ${this.clusterName}: no Ready node within ${Math.round(timeout / 1000)}s ` +
          `(--local-up-timeout): ${last}`,
      },
    );
  }

  async testSetup(): Promise<StepOutput> {
    const st = this.requireState();
    return {
      kubeconfig: this.kubeconfigOf(st),
      env: { KUBERNETES_CONFORMANCE_TEST: 'yes', KUBERNETES_PROVIDER: 'local' },
    };
  }

  /** The configured node type, or the one a state file recorded (a split --down cleans up after it). */
  // Loaded when a verb needs it: --dry-run and --help stay fast.
  private async nodeProvider(type: string = this.o.nodeType): Promise<NodeProvider> {
    if (type === 'kubelet') {
      const { KubeletNodes } = await import('./nodes/kubelet/index.js');
      return new KubeletNodes(this.o.nodes, this.common.cacheDir);
    }
    if (type === 'kubemark') {
      const { KubemarkNodes } = await import('./nodes/kubemark.js');
      return new KubemarkNodes(this.o.nodes, this.common.cacheDir);
    }
    const { KwokNodes } = await import('./nodes/kwok.js');
    return new KwokNodes(this.o.nodes, this.common.cacheDir);
  }

  async dumpClusterLogs(sc: StepContext, dir: string): Promise<void> {
    const st = this.state();
    if (!st) {
      sc.log(`no local cluster ${this.clusterName}: nothing to dump`);
      return;
    }
    const { dumpCluster } = await import('./dump.js');
    await dumpCluster(sc, st, dir, this.kubectl()!);
  }
}
