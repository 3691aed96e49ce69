// Flags of the kops deployer: help section "kops".
import { type FlagDef, boolFlag, durationFlag, intFlag, stringFlag } from '../../api/flags.js';

const b = boolFlag;
const d = durationFlag;
const i = intFlag;
const s = stringFlag;

export const FLAGS: readonly FlagDef[] = [
  s('kops', 'kops', 'Path to kops (downloaded from --kops-base-url when empty).'),
  s('kops-admin-access', 'kops', 'Restrict apiserver access to this CIDR.'),
  s('kops-args', 'kops', 'Extra space-separated args for kops create cluster.'),
  s('kops-base-url', 'kops', 'Base URL of a prebuilt kops.'),
  s('kops-cluster', 'kops', 'Deprecated: cluster name (defaults to --cluster).'),
  i('kops-disk-size', 'kops', 'Disk size of nodes and masters.', 48),
  s('kops-dns-provider', 'kops', 'DNS provider: CoreDNS or KubeDNS.'),
  s('kops-etcd-version', 'kops', 'etcd version.'),
  s('kops-feature-flags', 'kops', 'Comma-separated kops feature flags.'),
  s('kops-image', 'kops', 'Node image (AMI).'),
  s('kops-kubernetes-version', 'kops', 'Kubernetes version (or release URL) to deploy.'),
  i('kops-master-count', 'kops', 'Number of masters.', 1),
  s('kops-master-size', 'kops', 'Master instance type.', 'c5.large'),
  b('kops-multiple-zones', 'kops', 'Spread over multiple zones.'),
  s('kops-network-mode', 'kops', 'Networking: kubenet, calico, cilium, ...'),
  i('kops-nodes', 'kops', 'Number of nodes.', 2),
  s('kops-overrides', 'kops', 'Comma-separated cluster config overrides.'),
  s('kops-priority-path', 'kops', 'Prepend this to PATH.'),
  s('kops-publish', 'kops', 'Publish the kops version to this gs:// path on success.'),
  s('kops-ssh-key', 'kops', 'SSH key pair for the nodes (default ~/.ssh/kube_aws_rsa).'),
  s('kops-ssh-public-key', 'kops', 'SSH public key (default: --kops-ssh-key + .pub).'),
  s('kops-ssh-user', 'kops', 'SSH user for the nodes.'),
  s('kops-state', 'kops', 's3:// state store (required on AWS).'),
  d('kops-up-timeout', 'kops', 'How long until the API answers after kops update.', '20m0s'),
  s('kops-version', 'kops', 'URL of a file holding a kops base URL.'),
  s('kops-zones', 'kops', 'Comma-separated zones.'),
];
