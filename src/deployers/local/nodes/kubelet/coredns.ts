// Cluster DNS: CoreDNS built from its Go module (the version kubeadm of the release pins), packed as the
// upstream image name, and applied as kubeadm would (Deployment + Service kube-dns at 10.0.0.10) once the
// nodes are Ready. No upstream forwarder: names outside cluster.local get SERVFAIL, never leave the run.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildGoTool, type Exec } from '../../../../release/build/gotool.js';
import { CLUSTER_DNS } from './layout.js';
import { cachedImage, type ImageRef } from './images/archive.js';

export const COREDNS_VERSION = 'v1.14.2';

export async function resolveCoreDns(cacheDir: string, exec: Exec, env: NodeJS.ProcessEnv): Promise<ImageRef> {
  const bin = await buildGoTool(
    exec,
    cacheDir,
    { name: 'coredns', module: 'github.com/coredns/coredns', version: COREDNS_VERSION },
    env,
  );
  return cachedImage(cacheDir, {
    name: `registry.k8s.io/coredns/coredns:${COREDNS_VERSION}`,
    sourceDigest: `github.com/coredns/coredns@${COREDNS_VERSION}`,
    entrypoint: ['/coredns'],
    fill: async (rootfs) => {
      mkdirSync(join(rootfs, 'etc', 'coredns'), { recursive: true });
      rmSync(join(rootfs, 'coredns'), { force: true });
      await exec(['cp', bin, join(rootfs, 'coredns')]);
    },
  });
}

const COREFILE = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    cache 30
    loop
    reload
    loadbalance
}
`;

export function coreDnsManifests(image: string): Array<Record<string, unknown>> {
  const ns = 'kube-system';
  const labels = { 'k8s-app': 'kube-dns' };
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'coredns', namespace: ns } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'system:coredns' },
      rules: [
        { apiGroups: [''], resources: ['endpoints', 'services', 'pods', 'namespaces'], verbs: ['list', 'watch'] },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'system:coredns' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:coredns' },
      subjects: [{ kind: 'ServiceAccount', name: 'coredns', namespace: ns }],
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: ns }, data: { Corefile: COREFILE } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'coredns', namespace: ns, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: 'coredns',
            priorityClassName: 'system-cluster-critical',
            dnsPolicy: 'Default',
            containers: [
              {
                name: 'coredns',
                image,
                imagePullPolicy: 'IfNotPresent',
                args: ['-conf', '/etc/coredns/Corefile'],
                ports: [
                  { name: 'dns', containerPort: 53, protocol: 'UDP' },
                  { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
                  { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
                ],
                volumeMounts: [{ name: 'config', mountPath: '/etc/coredns', readOnly: true }],
                livenessProbe: { httpGet: { path: '/health', port: 8080 }, initialDelaySeconds: 10 },
                readinessProbe: { httpGet: { path: '/ready', port: 8181 } },
              },
            ],
            volumes: [{ name: 'config', configMap: { name: 'coredns' } }],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kube-dns', namespace: ns, labels: { ...labels, 'kubernetes.io/name': 'CoreDNS' } },
      spec: {
        selector: labels,
        clusterIP: CLUSTER_DNS,
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP' },
          { name: 'dns-tcp', port: 53, protocol: 'TCP' },
          { name: 'metrics', port: 9153, protocol: 'TCP' },
        ],
      },
    },
  ];
}
