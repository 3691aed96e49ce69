// Real nodes (--local-node-type=kubelet): per node its own containerd, kubelet and kube-proxy, each inside a
// network namespace the run creates (see network.ts), reaching the host-loopback apiserver through
// forwarders over unix sockets in the cluster dir; the apiserver reaches kubelets and pods through an HTTP
// CONNECT proxy in the hub namespace (its egress selector). Teardown: cleanup.ts.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { StepContext } from '../../../../api/context.js';
import { StepFailure } from '../../../../process/errors.js';
import { entryScript } from '../../../../util/entrypoints.js';
import { sleep } from '../../../../process/proctable.js';
import { releaseBinary, releaseVersion } from '../../binaries.js';
import type { ClusterPaths } from '../../cluster.js';
import { POD_CIDR, SERVICE_CIDR } from '../../components.js';
import type { ClientIdentity } from '../../pki.js';
import type { NodeProvider, NodeStart } from '../types.js';
import { cleanupKubeletNodes } from './cleanup.js';
import { cniConflist, containerdToml, egressSelectorConfig, kubeletConfig, kubeProxyConfig } from './config.js';
import { checkPrerequisites, createCgroupRoot, recordHost, which } from './host.js';
import { imageBundle, type ImageRef } from './images/archive.js';
import { REGISTRY_PORT } from './images/registry.js';
import { hostsToml, splitName, writeRegistryIndex } from './images/registry-index.js';
import { resolveImages, type KubeImages } from './images/catalog.js';
import { coreDnsManifests, resolveCoreDns } from './coredns.js';
import { CLUSTER_DNS, HUB_API_PORT, HUB_IP, layout, NODE_NET, type Layout, type NodeLayout } from './layout.js';
import { inNs, setupNetwork } from './network.js';
import { resolveNodeTools, type NodeTools } from './tools.js';

const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const NODES_READY_TIMEOUT_MS = 180_000;
const REGISTRY_URL = `http://${HUB_IP}:${REGISTRY_PORT}`;

interface Prepared {
  tools: NodeTools;
  images: KubeImages;
  coredns: ImageRef;
  /** What a node needs before its first pod (pause, CoreDNS), in one docker-archive every node imports. */
  bundle: string;
  /** Every image, as the hub's registry serves them: a node pulls the others on first use. */
  registryIndex: string;
  kubelet: string;
  kubeProxy: string;
  runc: string;
}

export class KubeletNodes implements NodeProvider {
  readonly type = 'kubelet';
  private p: Prepared | undefined;

  constructor(
    private readonly count: number,
    private readonly cacheDir: string,
  ) {}

  private names(): string[] {
    return Array.from({ length: this.count }, (_, i) => `kubetest-node-${i}`);
  }

  async prepare(sc: StepContext): Promise<void> {
    checkPrerequisites();
    const exec: StepContext['exec'] = (argv, opts) => sc.exec(argv, { ...opts, verbose: false });
    const kubelet = releaseBinary(sc.kubeRoot, 'kubelet');
    const kubeProxy = releaseBinary(sc.kubeRoot, 'kube-proxy');
    const version = releaseVersion(sc.kubeRoot);
    if (!version) throw new StepFailure(`kubelet nodes: no ./version in ${sc.kubeRoot} to pick the images by`);
    const t0 = Date.now();
    const tools = await resolveNodeTools(this.cacheDir, exec, sc.env);
    const images = await resolveImages(this.cacheDir, version, exec, sc.env);
    const coredns = await resolveCoreDns(this.cacheDir, exec, sc.env);
    // Importing every image (~350 MB) took a third of a kubelet Up; a node pulls what its pods use, as a
    // real cluster does, from the run's registry in the hub (no network beyond the host).
    const bundle = await imageBundle(this.cacheDir, [images.pause, coredns]);
    const registryIndex = await writeRegistryIndex(this.cacheDir, [...images.all, coredns]);
    const secs = (Date.now() - t0) / 1000;
    if (secs > 5) sc.log(`node tools and images ready in ${secs.toFixed(1)}s`);
    this.p = { tools, images, coredns, bundle, registryIndex, kubelet, kubeProxy, runc: which('runc')! };
  }

  identities(): ClientIdentity[] {
    return [
      ...this.names().map((n) => ({ file: `kubelet-${n}`, cn: `system:node:${n}`, org: 'system:nodes' })),
      { file: 'kube-proxy', cn: 'system:kube-proxy' },
    ];
  }

  apiserverArgs(paths: ClusterPaths): string[] {
    const l = layout(paths.dir, this.count);
    for (const s of [l.apiSock, l.egressSock, ...l.nodes.map((n) => `${n.containerdSock}.ttrpc`)]) {
      if (Buffer.byteLength(s) > 100)
        throw new StepFailure(`kubelet nodes: socket path too long for a unix socket (${s}): use a shorter work dir`);
    }
    writeFileSync(l.egressConfig, egressSelectorConfig(l));
    // Node names resolve nowhere: the egress proxy dials node IPs only.
    // Aggregated APIs and webhooks are dialled at their endpoints (pod IPs, routed to the hub), not at
    // ClusterIPs: the apiserver's egress proxy runs in the hub, where no kube-proxy rules are.
    return [
      `--egress-selector-config-file=${l.egressConfig}`,
      '--kubelet-preferred-address-types=InternalIP',
      '--enable-aggregator-routing=true',
      // Pods verify service account tokens with the keys at the discovery document's jwks_uri, by default the
      // advertise address (loopback here): the kubernetes Service instead (the serving cert has its names).
      '--service-account-jwks-uri=https://kubernetes.default.svc.cluster.local/openid/v1/jwks',
    ];
  }

  cleanup(clusterDir: string, log: (m: string) => void): Promise<void> {
    return cleanupKubeletNodes(clusterDir, log);
  }

  async start(n: NodeStart): Promise<string> {
    const p = this.p;
    if (!p) throw new Error('kubelet nodes: prepare() was not called');
    const exec: StepContext['exec'] = (argv, opts) => n.sc.exec(argv, { ...opts, verbose: false });
    const l = layout(n.paths.dir, this.count);
    const t0 = Date.now();
    await setupNetwork(exec, l);
    // Pod volumes kubelet mounts (host mount namespace) must reach containerd's private mount namespace.
    mkdirSync(l.nodesDir, { recursive: true });
    await exec(['mount', '--bind', l.nodesDir, l.nodesDir]);
    await exec(['mount', '--make-rshared', l.nodesDir]);

    const apiPort = new URL(n.server).port;
    const hostFwd = await n.start('forwarder-host', [
      process.execPath,
      entryScript('forwarder'),
      `unix:${l.apiSock}>tcp:127.0.0.1:${apiPort}`,
    ]);
    const hubFwd = await n.start(
      'forwarder-hub',
      inNs(l.hubNetns, [
        process.execPath,
        entryScript('forwarder'),
        `tcp:${HUB_IP}:${HUB_API_PORT}>unix:${l.apiSock}`,
        `unix:${l.egressSock}>connect:${NODE_NET},${POD_CIDR},${SERVICE_CIDR}`,
        `registry:${HUB_IP}:${REGISTRY_PORT}=${p.registryIndex}`,
      ]),
    );
    await n.ready(hostFwd, async () => existsSync(l.apiSock), 10_000);
    await n.ready(hubFwd, async () => existsSync(l.egressSock), 10_000);
    // The kubernetes Service: pods reach the apiserver at 10.0.0.1:443 → the hub forwarder.
    await exec([n.kubectl, `--kubeconfig=${n.paths.adminKubeconfig}`, 'apply', '-f', '-'], {
      input: kubernetesEndpoints()
        .map((m) => stringify(m))
        .join('---\n'),
    });
    recordHost(l);
    const proxyKubeconfig = this.nodeKubeconfig(n, 'kube-proxy', 'kube-proxy');
    await Promise.all(l.nodes.map((node) => this.startNode(n, p, node, proxyKubeconfig)));
    await this.waitReady(n, l);
    const ready = `${this.count} kubelet node(s) Ready in ${((Date.now() - t0) / 1000).toFixed(1)}s`;
    const t1 = Date.now();
    const kubectl = [n.kubectl, `--kubeconfig=${n.paths.adminKubeconfig}`];
    await exec([...kubectl, 'apply', '-f', '-'], {
      input: coreDnsManifests(p.coredns.name)
        .map((m) => stringify(m))
        .join('---\n'),
    });
    try {
      await exec([...kubectl, '-n', 'kube-system', 'rollout', 'status', 'deployment/coredns', '--timeout=120s']);
    } catch (e) {
      throw new StepFailure(`kubelet nodes: CoreDNS did not become available within 120s (${(e as Error).message})`);
    }
    return `${ready}; CoreDNS at ${CLUSTER_DNS} in ${((Date.now() - t1) / 1000).toFixed(1)}s`;
  }

  /** A kubeconfig for a node component: the apiserver as the hub forwarder (10.99.0.1), verified as localhost. */
  private nodeKubeconfig(n: NodeStart, component: string, identity: string): string {
    const path = n.kubeconfigFor(component, identity);
    const doc = parse(readFileSync(path, 'utf8')) as {
      clusters: Array<{ cluster: Record<string, string> }>;
    };
    for (const c of doc.clusters) {
      c.cluster['server'] = `https://${HUB_IP}:${HUB_API_PORT}`;
      c.cluster['tls-server-name'] = 'localhost';
    }
    writeFileSync(path, stringify(doc), { mode: 0o600 });
    return path;
  }

  private async startNode(n: NodeStart, p: Prepared, node: NodeLayout, proxyKubeconfig: string): Promise<void> {
    const exec: StepContext['exec'] = (argv, opts) => n.sc.exec(argv, { ...opts, verbose: false });
    for (const d of ['containerd/certs.d', 'cni/net.d', 'cni/ipam', 'kubelet', 'pod-logs'])
      mkdirSync(join(node.dir, d), { recursive: true });
    for (const host of new Set([...p.images.all, p.coredns].map((i) => splitName(i.name)[0]))) {
      mkdirSync(join(node.dir, 'containerd', 'certs.d', host));
      writeFileSync(join(node.dir, 'containerd', 'certs.d', host, 'hosts.toml'), hostsToml(REGISTRY_URL));
    }
    const toml = join(node.dir, 'containerd.toml');
    writeFileSync(toml, containerdToml(node, p.tools.cniBinDir, p.images.pause.name, p.runc));
    writeFileSync(join(node.dir, 'cni', 'net.d', '10-kubetest.conflist'), cniConflist(node));
    const kubeletYaml = join(node.dir, 'kubelet.yaml');
    writeFileSync(kubeletYaml, kubeletConfig(node, n.pki.caCert));
    const proxyYaml = join(node.dir, 'kube-proxy.yaml');
    writeFileSync(proxyYaml, kubeProxyConfig(node, proxyKubeconfig));
    createCgroupRoot(node.cgroupRoot);

    // containerd in the node's netns and in a mount namespace of its own, with private /run and /var/lib
    // (shim sockets, runc state, pod netns files, CNI cache: nothing of it lands on the host).
    const ctr = [p.tools.ctr, '--address', node.containerdSock];
    const containerd = await n.start(
      `containerd-n${node.index}`,
      inNs(node.netns, [
        'unshare',
        '--mount',
        '--propagation',
        'slave',
        '--',
        'sh',
        '-c',
        'mount -t tmpfs -o mode=755 kubetest /run && mount -t tmpfs -o mode=755 kubetest /var/lib && exec "$@"',
        'containerd',
        'env',
        `PATH=${p.tools.binDir}:${PATH}`,
        p.tools.containerd,
        '--config',
        toml,
      ]),
    );
    await n.ready(
      containerd,
      async () => {
        try {
          await exec([...ctr, 'version']);
          return true;
        } catch {
          return false;
        }
      },
      30_000,
    );
    await exec([...ctr, '-n', 'k8s.io', 'images', 'import', '--snapshotter', 'overlayfs', p.bundle]);

    const kubeconfig = this.nodeKubeconfig(n, `kubelet-n${node.index}`, `kubelet-${node.name}`);
    await n.start(
      `kubelet-n${node.index}`,
      inNs(node.netns, [
        p.kubelet,
        `--config=${kubeletYaml}`,
        `--kubeconfig=${kubeconfig}`,
        `--root-dir=${join(node.dir, 'kubelet')}`,
        `--cert-dir=${join(node.dir, 'kubelet', 'pki')}`,
        `--hostname-override=${node.name}`,
        `--node-ip=${node.ip}`,
      ]),
    );
    await n.start(`kube-proxy-n${node.index}`, inNs(node.netns, [p.kubeProxy, `--config=${proxyYaml}`]));
  }

  private async waitReady(n: NodeStart, l: Layout): Promise<void> {
    const until = Date.now() + NODES_READY_TIMEOUT_MS;
    let last = '';
    for (;;) {
      try {
        const r = await n.sc.exec(
          [n.kubectl, `--kubeconfig=${n.paths.adminKubeconfig}`, 'get', 'nodes', '-o', 'json'],
          {
            captureStdout: true,
            verbose: false,
          },
        );
        const items = (
          JSON.parse(r.stdout) as {
            items: Array<{
              metadata: { name: string };
              status?: { conditions?: Array<{ type: string; status: string; message?: string }> };
            }>;
          }
        ).items;
        const ready = items.filter((x) => x.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
        if (ready.length >= l.nodes.length) return;
        last = `${ready.length}/${l.nodes.length} Ready (${items
          .map((x) => `${x.metadata.name}: ${x.status?.conditions?.find((c) => c.type === 'Ready')?.message ?? '?'}`)
          .join('; ')})`;
      } catch (e) {
        last = (e as Error).message;
      }
      if (Date.now() > until)
        throw new StepFailure(
          `kubelet nodes: not all Ready within ${NODES_READY_TIMEOUT_MS / 1000}s: ${last}; logs: ${n.paths.logs}`,
        );
      await sleep(1000, n.sc.signal);
    }
  }
}

/**
 * What the apiserver's endpoint reconciler (off: its address is loopback) would write for the kubernetes Service:
 * Endpoints (not mirrored again) and an EndpointSlice, both at the hub forwarder.
 */
function kubernetesEndpoints(): Array<Record<string, unknown>> {
  const port = { name: 'https', port: HUB_API_PORT, protocol: 'TCP' };
  return [
    {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
      },
      subsets: [{ addresses: [{ ip: HUB_IP }], ports: [port] }],
    },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        labels: { 'kubernetes.io/service-name': 'kubernetes', 'endpointslice.kubernetes.io/managed-by': 'kubetest' },
      },
      addressType: 'IPv4',
      endpoints: [{ addresses: [HUB_IP], conditions: { ready: true } }],
      ports: [port],
    },
  ];
}
