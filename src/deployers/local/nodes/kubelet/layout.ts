// Where everything of a run's kubelet nodes lives (all under the cluster dir) and which addresses it uses:
// 10.99.0.0/24 is the node network (a bridge in the run's hub namespace; 10.99.0.1 is the hub, node i is
// 10.99.0.(10+i)); node i's pods get 10.244.i.0/24. These addresses exist only inside the run's namespaces,
// so two runs may use the same ones.
import { createHash } from 'node:crypto';
import { join } from 'node:path';

export const HUB_IP = '10.99.0.1';
export const NODE_NET = '10.99.0.0/24';
export const CLUSTER_DNS = '10.0.0.10';
/** The apiserver as the nodes and pods see it (the hub forwarder). */
export const HUB_API_PORT = 6443;

export interface NodeLayout {
  index: number;
  name: string;
  ip: string;
  podCidr: string;
  netns: string;
  dir: string;
  cgroupRoot: string;
  containerdSock: string;
}

export interface Layout {
  dir: string;
  /** kt-<hash of the cluster dir>: names host-wide things (cgroups) apart across runs. */
  id: string;
  netDir: string;
  hubNetns: string;
  apiSock: string;
  egressSock: string;
  egressConfig: string;
  nodesDir: string;
  hostRecord: string;
  nodes: NodeLayout[];
}

export function nodeIp(i: number): string {
  return `10.99.0.${10 + i}`;
}

export function layout(clusterDir: string, count: number): Layout {
  const id = `kt-${createHash('sha256').update(clusterDir).digest('hex').slice(0, 8)}`;
  const netDir = join(clusterDir, 'net');
  const nodesDir = join(clusterDir, 'nodes');
  return {
    dir: clusterDir,
    id,
    netDir,
    hubNetns: join(netDir, 'hub'),
    apiSock: join(netDir, 'api.sock'),
    egressSock: join(netDir, 'egress.sock'),
    egressConfig: join(clusterDir, 'egress-selector.yaml'),
    nodesDir,
    hostRecord: join(clusterDir, 'host-before.json'),
    nodes: Array.from({ length: count }, (_, i) => ({
      index: i,
      name: `kubetest-node-${i}`,
      ip: nodeIp(i),
      podCidr: `10.244.${i}.0/24`,
      netns: join(netDir, `n${i}`),
      dir: join(nodesDir, `n${i}`),
      cgroupRoot: `${id}-n${i}`,
      containerdSock: join(nodesDir, `n${i}`, 'containerd.sock'),
    })),
  };
}
