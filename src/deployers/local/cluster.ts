// Where one local cluster lives and how to read its logs.
import { join } from 'node:path';

export interface ClusterPaths {
  dir: string;
  pki: string;
  /** etcd's own CA, serving and client certificates. */
  etcdPki: string;
  /** The aggregator's front-proxy CA and client certificate (requestheader authentication). */
  frontProxyPki: string;
  logs: string;
  etcdData: string;
  adminKubeconfig: string;
  kubeconfig(component: string): string;
  log(component: string): string;
}

export function clusterPaths(runDir: string, name: string): ClusterPaths {
  const dir = join(runDir, 'local', name);
  return {
    dir,
    pki: join(dir, 'pki'),
    etcdPki: join(dir, 'pki', 'etcd'),
    frontProxyPki: join(dir, 'pki', 'front-proxy'),
    logs: join(dir, 'logs'),
    etcdData: join(dir, 'etcd'),
    adminKubeconfig: join(dir, 'admin.kubeconfig'),
    kubeconfig: (c) => join(dir, `${c}.kubeconfig`),
    log: (c) => join(dir, 'logs', `${c}.log`),
  };
}

export { fileTail as logTail } from '../../util/files.js';
