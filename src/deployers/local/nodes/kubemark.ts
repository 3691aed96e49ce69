// kubemark hollow nodes: the real kubemark binary of the release's Kubernetes module (cmd/kubemark, built
// once per version) as N hollow kubelets — kubelet code with a fake container runtime and cAdvisor — and,
// with `proxy`, N hollow kube-proxies. Each is a daemon of the cluster with its own port; its files (root
// dir, static pods, pod logs) live under the cluster dir through TMPDIR.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StepContext } from '../../../api/context.js';
import { StepFailure } from '../../../process/errors.js';
import { buildKubeCommand } from '../../../release/build/kubecmd.js';
import { poll } from '../../../util/poll.js';
import { releaseVersion } from '../binaries.js';
import { nodeReadiness } from '../health.js';
import { freePorts } from '../ports.js';
import type { NodeProvider, NodeStart } from './types.js';

export const KUBEMARK = { name: 'kubemark', pkg: 'cmd/kubemark' };

/** The fake CRI runtime of a hollow kubelet listens at this fixed place (k8s.io/cri-client/pkg/fake). */
const FAKE_RUNTIME_SOCKETS = { dir: '/tmp', pattern: /^kubelet_remote_\d+\.sock$/ };
/** Each hollow kubelet's root dir: kubemark makes it in /tmp whatever TMPDIR says (test/utils.MakeTempDirOrDie). */
const HOLLOW_ROOTS = /^hollow-kubelet\.\d+$/;

function hollowRoots(): string[] {
  try {
    return readdirSync('/tmp').filter((f) => HOLLOW_ROOTS.test(f));
  } catch {
    return [];
  }
}

/** Where a run notes the hollow roots that were there before its hollow nodes started (not its own). */
const rootsBeforeFile = (clusterDir: string) => join(clusterDir, 'hollow', 'tmp-roots-before.json');

export function hollowNodeName(i: number): string {
  return `hollow-node-${i}`;
}

/**
 * A hollow node runs on the host's network: with no tools on its PATH it finds no iptables, so its kubelet does
 * not put KUBE-FIREWALL and the canary chains into the host's tables (which nobody would take out again).
 */
const hollowEnv = (dir: string) => ['env', `TMPDIR=${dir}`, `PATH=${dir}/no-host-tools`];

export function hollowKubeletArgv(bin: string, name: string, kubeconfig: string, port: number, dir: string): string[] {
  return [
    ...hollowEnv(dir),
    bin,
    '--morph=kubelet',
    `--name=${name}`,
    `--kubeconfig=${kubeconfig}`,
    `--kubelet-port=${port}`,
    '--kubelet-read-only-port=0',
    '--use-host-image-service=false',
    '--v=1',
  ];
}

export function hollowProxyArgv(bin: string, name: string, kubeconfig: string, dir: string): string[] {
  return [...hollowEnv(dir), bin, '--morph=proxy', `--name=${name}`, `--kubeconfig=${kubeconfig}`, '--v=1'];
}

export class KubemarkNodes implements NodeProvider {
  readonly type = 'kubemark';
  private binary: string | undefined;
  private version = 'unknown';

  constructor(
    private readonly count: number,
    private readonly cacheDir: string,
    private readonly proxy = true,
  ) {}

  async prepare(sc: StepContext): Promise<void> {
    this.version = releaseVersion(sc.kubeRoot) ?? 'unknown';
    if (!/^v\d+\.\d+\.\d+/.test(this.version))
      throw new StepFailure(`kubemark nodes: the release in ${sc.kubeRoot} has no version file to build kubemark at`);
    const exec: StepContext['exec'] = (argv, opts) => sc.exec(argv, { ...opts, verbose: false });
    this.binary = await buildKubeCommand(exec, this.cacheDir, sc.env, this.version, KUBEMARK, sc.log);
  }

  identities() {
    return [{ file: 'kubemark', cn: 'kubemark-hollow-nodes', org: 'system:masters' }];
  }

  async start(n: NodeStart): Promise<string> {
    if (!this.binary) throw new Error('kubemark nodes: prepare() was not called');
    const t0 = Date.now();
    const kubeconfig = n.kubeconfigFor('kubemark', 'kubemark');
    const ports = await freePorts(this.count);
    // What appears in /tmp after this is this run's (teardown removes it); two kubemark runs starting in the same
    // seconds on one machine could mistake each other's.
    mkdirSync(join(n.paths.dir, 'hollow'), { recursive: true });
    writeFileSync(rootsBeforeFile(n.paths.dir), JSON.stringify(hollowRoots()));
    for (let i = 0; i < this.count; i++) {
      const name = hollowNodeName(i);
      const dir = join(n.paths.dir, 'hollow', name);
      mkdirSync(dir, { recursive: true });
      await n.start(name, hollowKubeletArgv(this.binary, name, kubeconfig, ports[i]!, dir), ports[i]);
      if (this.proxy) await n.start(`${name}-proxy`, hollowProxyArgv(this.binary, name, kubeconfig, dir));
    }
    const timeoutMs = 60_000 + this.count * 2000;
    await poll(
      async () => {
        const r = await n.sc.exec(
          [n.kubectl, `--kubeconfig=${n.paths.adminKubeconfig}`, 'get', 'nodes', '-o', 'json'],
          { captureStdout: true, verbose: false },
        );
        const { ready } = nodeReadiness(r.stdout);
        if (ready < this.count) throw new Error(`${ready}/${this.count} hollow nodes Ready`);
        return true;
      },
      { timeoutMs, intervalMs: 1000, signal: n.sc.signal, what: `${this.count} hollow nodes` },
    );
    const s = ((Date.now() - t0) / 1000).toFixed(1);
    const what = `${this.count} kubemark ${this.version} hollow node(s)${this.proxy ? ' with hollow proxies' : ''}`;
    return `${what} Ready in ${s}s`;
  }

  /**
   * The hollow kubelets' root dirs this run made in /tmp, and the fake runtime's sockets there that no process
   * holds any more (ours, or another run's that died).
   */
  async cleanup(clusterDir: string): Promise<void> {
    const noted = rootsBeforeFile(clusterDir);
    if (existsSync(noted)) {
      let before: unknown;
      try {
        before = JSON.parse(readFileSync(noted, 'utf8'));
      } catch {
        before = undefined;
      }
      if (Array.isArray(before)) {
        const had = new Set(before.filter((x): x is string => typeof x === 'string'));
        for (const d of hollowRoots()) if (!had.has(d)) rmSync(join('/tmp', d), { recursive: true, force: true });
      }
    }
    let held: string;
    try {
      held = readFileSync('/proc/net/unix', 'utf8');
    } catch {
      return;
    }
    if (!existsSync(FAKE_RUNTIME_SOCKETS.dir)) return;
    for (const f of readdirSync(FAKE_RUNTIME_SOCKETS.dir)) {
      if (!FAKE_RUNTIME_SOCKETS.pattern.test(f)) continue;
      const path = join(FAKE_RUNTIME_SOCKETS.dir, f);
      if (!held.includes(` ${path}\n`)) rmSync(path, { force: true });
    }
  }
}
