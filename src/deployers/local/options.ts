// Typed options of the local deployer, with their checks.
import { UsageError } from '../../api/errors.js';
import type { FlagValues } from '../../api/flags.js';
import type { CommonOptions } from '../../api/plugin.js';
import { parseGoDuration } from '../../util/duration.js';

export const MAX_KWOK_NODES = 1000;
/** Each kubelet node runs containerd, kubelet and kube-proxy: a few hundred MB and some CPU each. */
export const MAX_KUBELET_NODES = 8;
/** A hollow kubelet (and its proxy) takes some 20–40 MB and little CPU once Ready. */
export const MAX_KUBEMARK_NODES = 500;
const MAX_NODES = { kwok: MAX_KWOK_NODES, kubelet: MAX_KUBELET_NODES, kubemark: MAX_KUBEMARK_NODES };

export interface LocalOptions {
  clusterName: string;
  nodes: number;
  nodeType: 'kwok' | 'kubelet' | 'kubemark';
  /** --kubemark-nodes: hollow nodes of the kubemark cluster (--kubemark). */
  kubemarkNodes: number;
  apiserverPort: number;
  upTimeoutMs: number;
  runtimeConfig: string;
  seedBootstrap: boolean;
}

export function readLocalOptions(values: FlagValues, common: CommonOptions): LocalOptions {
  const nodeType = values.str('local-node-type');
  if (nodeType !== 'kwok' && nodeType !== 'kubelet' && nodeType !== 'kubemark') {
    throw new UsageError(
      `invalid value ${JSON.stringify(nodeType)} for --local-node-type: want kwok, kubelet or kubemark`,
    );
  }
  const nodes = values.int('local-nodes');
  if (nodes < 1) throw new UsageError('--local-nodes must be at least 1');
  const max = MAX_NODES[nodeType];
  if (nodes > max) throw new UsageError(`--local-nodes=${nodes}: at most ${max} ${nodeType} nodes on one machine`);
  const rawKubemark = values.str('kubemark-nodes');
  const kubemarkNodes = /^\d+$/.test(rawKubemark) ? Number(rawKubemark) : NaN;
  if (values.bool('kubemark') && !(kubemarkNodes >= 1 && kubemarkNodes <= MAX_KUBEMARK_NODES)) {
    throw new UsageError(
      `invalid value ${JSON.stringify(rawKubemark)} for --kubemark-nodes: want a number of hollow nodes from 1 to ` +
        `${MAX_KUBEMARK_NODES}`,
    );
  }
  const port = values.int('local-apiserver-port');
  if (port < 0 || port > 65535) throw new UsageError(`--local-apiserver-port=${port}: want a port number (0: any)`);
  return {
    clusterName: common.cluster || 'local',
    nodes,
    nodeType,
    kubemarkNodes: kubemarkNodes || 0,
    apiserverPort: port,
    upTimeoutMs: parseGoDuration(values.str('local-up-timeout')),
    runtimeConfig: values.str('runtime-config'),
    seedBootstrap: values.bool('local-bootstrap-seed'),
  };
}
