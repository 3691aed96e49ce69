// Flags of the local deployer: help section "local".
import { type FlagDef, durationFlag } from '../../api/flags.js';

const d = durationFlag;

export const FLAGS: readonly FlagDef[] = [
  d('local-up-timeout', 'local', 'How long up may take before the cluster must answer with a Ready node.', '2m0s'),
  {
    name: 'local-nodes',
    kind: 'int',
    group: 'local',
    def: 1,
    ours: true,
    help: 'Number of nodes in the local cluster (kwok: up to 1000; kubelet: up to 8; kubemark: up to 500).',
  },
  {
    name: 'local-apiserver-port',
    kind: 'int',
    group: 'local',
    def: 0,
    ours: true,
    help: 'Port of the local kube-apiserver on 127.0.0.1 (0: a free port).',
  },
  {
    name: 'local-node-type',
    kind: 'string',
    group: 'local',
    def: 'kwok',
    ours: true,
    help:
      'Local nodes: kwok (simulated kubelets; pods become Running as API objects), kubelet (real nodes: ' +
      'containerd, runc, CNI, kube-proxy in network namespaces of the run; needs root) or kubemark (hollow ' +
      'nodes of the real kubemark).',
  },
  {
    name: 'local-bootstrap-seed',
    kind: 'bool',
    group: 'local',
    def: true,
    ours: true,
    help:
      "Create kube-apiserver's bootstrap RBAC policy and system priority classes as soon as it serves, from a " +
      "copy captured at the release's first start (cached by version), and count it ready without the fixed " +
      "second its two post-start hooks wait; false: wait for the apiserver's /readyz.",
  },
];
