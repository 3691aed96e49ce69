// Flags of the kind deployer: help section "kind".
import { type FlagDef, stringFlag } from '../../api/flags.js';

const s = stringFlag;

export const FLAGS: readonly FlagDef[] = [
  s('kind-config-path', 'kind', 'kind cluster config file.'),
  s('kind-kubeconfig-path', 'kind', 'Kubeconfig that kind writes (default ~/.kubetest/kind/<cluster>/kubeconfig).'),
  s('kind-base-image', 'kind', 'Base image for kind build node-image.'),
  s('kind-binary-version', 'kind', 'kind binary: stable (pinned download) or build (from source).', 'stable'),
  s('kind-cluster-name', 'kind', 'kind cluster name.', 'kind-kubetest'),
  s('kind-node-image', 'kind', 'Node image (ignored when --build builds one).'),
];
