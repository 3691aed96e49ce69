// Typed options of the local deployer, with their checks.
import { UsageError } from '../../api/errors.js';
import type { FlagValues } from '../../api/flags.js';
import type { CommonOptions } from '../../api/plugin.js';
import { parseGoDuration } from '../../util/duration.js';

export const MAX_KWOK_NODES = 1000;
/** Each kubelet node runs containerd, kubelet and kube-proxy: a few hundred MB and some CPU each. */
export const MAX_KUBELET_NODES = 8;

export interface LocalOptions {
  clusterName: string;
  nodes: number;
  nodeType: 'kwok' | 'kubelet';
  apiserverPort: number;
  upTimeoutMs: number;
  runtimeConfig: string;
}

export function readLocalOptions(values: FlagValues, common: CommonOptions): LocalOptions {
  const nodeType = values.str('local-node-type');
  if (nodeType !== 'kwok' && nodeType !== 'kubelet')
    throw new UsageError(`invalid value ${JSON.stringify(nodeType)} for --local-node-type: want kwok or kubelet`);
  const nodes = values.int('local-nodes');
  if (nodes < 1) throw new UsageError('--local-nodes must be at least 1');
  const max = nodeType === 'kubelet' ? MAX_KUBELET_NODES : MAX_KWOK_NODES;
  if (nodes > max) throw new UsageError(`--local-nodes=${nodes}: at most ${max} ${nodeType} nodes on one machine`);
  const port = values.int('local-apiserver-port');
  if (port < 0 || port > 65535) throw new UsageError(`--local-apiserver-port=${port}: want a port number (0: any)`);
  return {
    clusterName: common.cluster || 'local',
    nodes,
    nodeType,
    apiserverPort: port,
    upTimeoutMs: parseGoDuration(values.str('local-up-timeout')),
    runtimeConfig: values.str('runtime-config'),
  };
}
