// Command lines of the control-plane components, all bound to 127.0.0.1 (../shared/reference/local-cluster.md §2).
import type { Pki } from './pki.js';

export interface Ports {
  etcdClient: number;
  etcdPeer: number;
  apiserver: number;
  controllerManager: number;
  scheduler: number;
}

/** Client identities of the etcd CA. */
export const ETCD_CLIENT = 'apiserver-etcd-client';
export const ETCD_HEALTHCHECK = 'etcd-healthcheck-client';

export const SERVICE_CIDR = '10.0.0.0/24';
export const SERVICE_IP = '10.0.0.1';
export const POD_CIDR = '10.244.0.0/16';

/**
 * etcd serves TLS only and wants a client certificate from its own CA (as kubeadm sets it up), so no other
 * local user can read the cluster's Secrets from its port; only the apiserver and our health check hold one.
 */
export function etcdArgv(bin: string, dataDir: string, p: Ports, etcdPki: Pki): string[] {
  const client = `https://127.0.0.1:${p.etcdClient}`;
  const peer = `https://127.0.0.1:${p.etcdPeer}`;
  const tls = (prefix: string) => [
    `--${prefix}cert-file=${etcdPki.servingCert}`,
    `--${prefix}key-file=${etcdPki.servingKey}`,
    `--${prefix}trusted-ca-file=${etcdPki.caCert}`,
    `--${prefix}client-cert-auth=true`,
  ];
  return [
    bin,
    '--name=kubetest',
    `--data-dir=${dataDir}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=kubetest=${peer}`,
    '--initial-cluster-state=new',
    ...tls(''),
    ...tls('peer-'),
    '--auto-compaction-retention=1',
    '--quota-backend-bytes=4294967296',
    // A throw-away test cluster: no fsync (etcd on a slow CI disk otherwise dominates API latency).
    '--unsafe-no-fsync=true',
    // One member: it elects itself after a random 1–11 heartbeats (etcd fast-forwards the rest of the election
    // timeout at boot), 0.1–1.1 s with the defaults, while kube-apiserver waits; 10–60 ms with these. With no
    // peers there is nobody to miss a heartbeat or to call an election later.
    '--heartbeat-interval=10',
    '--election-timeout=50',
    '--log-level=warn',
  ];
}

export const FRONT_PROXY_CLIENT = 'front-proxy-client';

export interface ApiserverPki {
  cluster: Pki;
  etcd: Pki;
  /** Aggregated API servers trust requests the aggregator makes with this CA's client cert. */
  frontProxy: Pki;
}

export function apiserverArgv(bin: string, tls: ApiserverPki, p: Ports, runtimeConfig: string): string[] {
  const { cluster: pki, etcd: etcdPki, frontProxy } = tls;
  return [
    bin,
    `--etcd-servers=https://127.0.0.1:${p.etcdClient}`,
    `--etcd-cafile=${etcdPki.caCert}`,
    `--etcd-certfile=${etcdPki.client(ETCD_CLIENT).cert}`,
    `--etcd-keyfile=${etcdPki.client(ETCD_CLIENT).key}`,
    '--etcd-prefix=/registry',
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${p.apiserver}`,
    `--tls-cert-file=${pki.servingCert}`,
    `--tls-private-key-file=${pki.servingKey}`,
    `--client-ca-file=${pki.caCert}`,
    `--service-account-issuer=https://kubernetes.default.svc.cluster.local`,
    `--service-account-key-file=${pki.saPub}`,
    `--service-account-signing-key-file=${pki.saKey}`,
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    '--authorization-mode=Node,RBAC',
    '--allow-privileged=true',
    // The kubernetes Endpoints would hold 127.0.0.1, which Endpoints validation rejects.
    '--endpoint-reconciler-type=none',
    `--kubelet-client-certificate=${pki.client('admin').cert}`,
    `--kubelet-client-key=${pki.client('admin').key}`,
    // As kubeadm: the aggregator authenticates to aggregated API servers (they read the CA from
    // kube-system/extension-apiserver-authentication) with the front proxy's client cert.
    `--requestheader-client-ca-file=${frontProxy.caCert}`,
    `--requestheader-allowed-names=${FRONT_PROXY_CLIENT}`,
    '--requestheader-username-headers=X-Remote-User',
    '--requestheader-group-headers=X-Remote-Group',
    '--requestheader-extra-headers-prefix=X-Remote-Extra-',
    `--proxy-client-cert-file=${frontProxy.client(FRONT_PROXY_CLIENT).cert}`,
    `--proxy-client-key-file=${frontProxy.client(FRONT_PROXY_CLIENT).key}`,
    ...(runtimeConfig ? [`--runtime-config=${runtimeConfig}`] : []),
  ];
}

function servingFlags(pki: Pki, port: number): string[] {
  return [
    '--bind-address=127.0.0.1',
    `--secure-port=${port}`,
    `--tls-cert-file=${pki.servingCert}`,
    `--tls-private-key-file=${pki.servingKey}`,
    // /metrics is authenticated and authorized through the apiserver (delegated), as upstream does.
    '--authorization-always-allow-paths=/healthz,/readyz,/livez',
  ];
}

export function controllerManagerArgv(bin: string, pki: Pki, p: Ports, kubeconfig: string): string[] {
  return [
    bin,
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    ...servingFlags(pki, p.controllerManager),
    '--leader-elect=false',
    '--use-service-account-credentials=true',
    `--service-account-private-key-file=${pki.saKey}`,
    `--root-ca-file=${pki.caCert}`,
    `--cluster-signing-cert-file=${pki.caCert}`,
    `--cluster-signing-key-file=${pki.caKey}`,
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    `--cluster-cidr=${POD_CIDR}`,
    '--allocate-node-cidrs=false',
  ];
}

export function schedulerArgv(bin: string, pki: Pki, p: Ports, kubeconfig: string): string[] {
  return [
    bin,
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    ...servingFlags(pki, p.scheduler),
    '--leader-elect=false',
  ];
}

export function kwokArgv(bin: string, kubeconfig: string, stages: string, port: number): string[] {
  return [
    bin,
    `--kubeconfig=${kubeconfig}`,
    `--config=${stages}`,
    '--manage-all-nodes=false',
    '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
    '--node-lease-duration-seconds=40',
    `--cidr=${POD_CIDR}`,
    '--node-ip=127.0.0.1',
    `--server-address=127.0.0.1:${port}`,
  ];
}

export function nodeManifest(name: string, kubeVersion: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        type: 'kwok',
      },
    },
    spec: {},
    status: {
      allocatable: { cpu: '32', memory: '256Gi', pods: '110' },
      capacity: { cpu: '32', memory: '256Gi', pods: '110' },
      nodeInfo: {
        architecture: 'amd64',
        operatingSystem: 'linux',
        kubeletVersion: kubeVersion,
        kubeProxyVersion: kubeVersion,
        containerRuntimeVersion: 'kwok',
        osImage: 'kwok',
        kernelVersion: 'kwok',
      },
    },
  };
}
