import { stringify } from 'yaml';
import { writeFileAtomic } from '../../report/atomic.js';

export interface KubeconfigInput {
  path: string;
  server: string;
  caFile: string;
  certFile: string;
  keyFile: string;
  user: string;
  cluster: string;
}

/** A kubeconfig that references the PKI files by path (mode 0600: it leads to admin credentials). */
export function writeKubeconfig(k: KubeconfigInput): void {
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: k.cluster, cluster: { server: k.server, 'certificate-authority': k.caFile } }],
    users: [{ name: k.user, user: { 'client-certificate': k.certFile, 'client-key': k.keyFile } }],
    contexts: [{ name: k.cluster, context: { cluster: k.cluster, user: k.user } }],
    'current-context': k.cluster,
    preferences: {},
  };
  writeFileAtomic(k.path, stringify(doc), 0o600);
}
