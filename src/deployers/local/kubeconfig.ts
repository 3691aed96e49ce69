import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { writeFileAtomic } from '../../util/atomic.js';

export interface KubeconfigInput {
  path: string;
  server: string;
  caFile: string;
  certFile: string;
  keyFile: string;
  user: string;
  cluster: string;
}

/** A self-contained kubeconfig (certs embedded, so --save can carry it); mode 0600: it holds a client key. */
export function writeKubeconfig(k: KubeconfigInput): void {
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: k.cluster, cluster: { server: k.server, 'certificate-authority-data': b64(k.caFile) } }],
    users: [{ name: k.user, user: { 'client-certificate-data': b64(k.certFile), 'client-key-data': b64(k.keyFile) } }],
    contexts: [{ name: k.cluster, context: { cluster: k.cluster, user: k.user } }],
    'current-context': k.cluster,
    preferences: {},
  };
  writeFileAtomic(k.path, stringify(doc), 0o600);
}

function b64(file: string): string {
  return readFileSync(file).toString('base64');
}
