// Typed options of the kind deployer, read from its flags (and the shared ones it uses).
import type { FlagValues } from '../../api/flags.js';

export interface KindOptions {
  kindClusterName: string;
  kindKubeconfigPath: string;
  kindConfigPath: string;
  kindNodeImage: string;
}

export function readKindOptions(values: FlagValues): KindOptions {
  return {
    kindClusterName: values.str('kind-cluster-name'),
    kindKubeconfigPath: values.str('kind-kubeconfig-path'),
    kindConfigPath: values.str('kind-config-path'),
    kindNodeImage: values.str('kind-node-image'),
  };
}
