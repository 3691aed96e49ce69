// The files each kubelet node runs from: containerd's config, the CNI network, KubeletConfiguration,
// KubeProxyConfiguration, and the apiserver's egress selector (how it reaches kubelets and pods).
import { join } from 'node:path';
import { stringify } from 'yaml';
import { POD_CIDR } from '../../components.js';
import { CLUSTER_DNS, type Layout, type NodeLayout } from './layout.js';

export function containerdToml(n: NodeLayout, cniBinDir: string, pauseImage: string, runc: string): string {
  const q = JSON.stringify;
  return `version = 3
root = ${q(join(n.dir, 'containerd', 'root'))}
state = ${q(join(n.dir, 'containerd', 'state'))}

[grpc]
  address = ${q(n.containerdSock)}

[ttrpc]
  address = ${q(`${n.containerdSock}.ttrpc`)}

[plugins.'io.containerd.internal.v1.opt']
  path = ${q(join(n.dir, 'containerd', 'opt'))}

[plugins.'io.containerd.nri.v1.nri']
  disable = true

[plugins.'io.containerd.cri.v1.runtime']
  # Lowering oom_score_adj is denied on some hosts (runc then fails "can't get final child's PID").
  restrict_oom_score_adj = true
  enable_selinux = false
  [plugins.'io.containerd.cri.v1.runtime'.containerd]
    default_runtime_name = 'runc'
    [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
      runtime_type = 'io.containerd.runc.v2'
      [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
        SystemdCgroup = false
        BinaryName = ${q(runc)}
  [plugins.'io.containerd.cri.v1.runtime'.cni]
    bin_dirs = [${q(cniBinDir)}]
    conf_dir = ${q(join(n.dir, 'cni', 'net.d'))}

[plugins.'io.containerd.cri.v1.images']
  snapshotter = 'overlayfs'
  [plugins.'io.containerd.cri.v1.images'.pinned_images]
    sandbox = ${q(pauseImage)}
  [plugins.'io.containerd.cri.v1.images'.registry]
    config_path = ${q(join(n.dir, 'containerd', 'certs.d'))}
`;
}

export function cniConflist(n: NodeLayout): string {
  return JSON.stringify(
    {
      cniVersion: '1.0.0',
      name: 'kubetest',
      plugins: [
        {
          type: 'bridge',
          bridge: 'cni0',
          isGateway: true,
          ipMasq: false,
          hairpinMode: true,
          ipam: {
            type: 'host-local',
            ranges: [[{ subnet: n.podCidr }]],
            routes: [{ dst: '0.0.0.0/0' }],
            dataDir: join(n.dir, 'cni', 'ipam'),
          },
        },
        { type: 'portmap', capabilities: { portMappings: true } },
      ],
    },
    null,
    2,
  );
}

export function kubeletConfig(n: NodeLayout, caFile: string): string {
  return stringify({
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    // cgroup v1 hosts (this one: hybrid) need both; cgroupfs because there is no systemd to talk to.
    failCgroupV1: false,
    cgroupDriver: 'cgroupfs',
    cgroupRoot: `/${n.cgroupRoot}`,
    address: n.ip,
    port: 10250,
    readOnlyPort: 0,
    healthzBindAddress: '127.0.0.1',
    healthzPort: 10248,
    authentication: {
      anonymous: { enabled: false },
      webhook: { enabled: true },
      x509: { clientCAFile: caFile },
    },
    authorization: { mode: 'Webhook' },
    clusterDomain: 'cluster.local',
    clusterDNS: [CLUSTER_DNS],
    containerRuntimeEndpoint: `unix://${n.containerdSock}`,
    imageServiceEndpoint: `unix://${n.containerdSock}`,
    podLogsDir: join(n.dir, 'pod-logs'),
    resolvConf: '',
    failSwapOn: false,
    serializeImagePulls: false,
    // A test machine's disk is shared and may be fuller than a node's would be: no disk-pressure taints.
    evictionHard: { 'memory.available': '50Mi', 'nodefs.available': '1%', 'imagefs.available': '1%' },
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    maxPods: 110,
    rotateCertificates: false,
    serverTLSBootstrap: false,
  });
}

export function kubeProxyConfig(n: NodeLayout, kubeconfig: string): string {
  return stringify({
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    clientConnection: { kubeconfig },
    mode: 'iptables',
    hostnameOverride: n.name,
    clusterCIDR: POD_CIDR,
    bindAddress: n.ip,
    metricsBindAddress: '127.0.0.1:10249',
    healthzBindAddress: '127.0.0.1:10256',
    // Host-wide conntrack sysctls are not ours to change.
    conntrack: { maxPerCore: 0, min: 0, tcpEstablishedTimeout: '0s', tcpCloseWaitTimeout: '0s' },
    // Replies of service traffic come back through the node even between pods on one bridge.
    iptables: { masqueradeAll: true },
  });
}

export function egressSelectorConfig(l: Layout): string {
  return stringify({
    apiVersion: 'apiserver.k8s.io/v1beta1',
    kind: 'EgressSelectorConfiguration',
    egressSelections: [
      {
        name: 'cluster',
        connection: { proxyProtocol: 'HTTPConnect', transport: { uds: { udsName: l.egressSock } } },
      },
    ],
  });
}
