// Typed options of the kops deployer, read from its flags (and the shared ones it uses).
import type { FlagValues } from '../../api/flags.js';

export interface KopsOptions {
  kopsCluster: string;
  kopsState: string;
  kops: string;
  kopsSshKey: string;
  kopsFeatureFlags: string;
  kopsZones: string;
  kopsSshPublicKey: string;
  kopsNodes: number;
  kopsDiskSize: number;
  kopsMasterCount: number;
  kopsMasterSize: string;
  kopsArgs: string;
  kopsUpTimeout: string;
  kopsSshUser: string;
  kopsMultipleZones: boolean;
  kopsKubernetesVersion: string;
  kopsAdminAccess: string;
  kopsImage: string;
  kopsNetworkMode: string;
  kopsOverrides: string;
  kopsEtcdVersion: string;
}

export function readKopsOptions(values: FlagValues): KopsOptions {
  return {
    kopsCluster: values.str('kops-cluster'),
    kopsState: values.str('kops-state'),
    kops: values.str('kops'),
    kopsSshKey: values.str('kops-ssh-key'),
    kopsFeatureFlags: values.str('kops-feature-flags'),
    kopsZones: values.str('kops-zones'),
    kopsSshPublicKey: values.str('kops-ssh-public-key'),
    kopsNodes: values.int('kops-nodes'),
    kopsDiskSize: values.int('kops-disk-size'),
    kopsMasterCount: values.int('kops-master-count'),
    kopsMasterSize: values.str('kops-master-size'),
    kopsArgs: values.str('kops-args'),
    kopsUpTimeout: values.str('kops-up-timeout'),
    kopsSshUser: values.str('kops-ssh-user'),
    kopsMultipleZones: values.bool('kops-multiple-zones'),
    kopsKubernetesVersion: values.str('kops-kubernetes-version'),
    kopsAdminAccess: values.str('kops-admin-access'),
    kopsImage: values.str('kops-image'),
    kopsNetworkMode: values.str('kops-network-mode'),
    kopsOverrides: values.str('kops-overrides'),
    kopsEtcdVersion: values.str('kops-etcd-version'),
  };
}
