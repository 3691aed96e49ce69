// Typed options of the conformance deployer, read from its flags (and the shared ones it uses).
import type { FlagValues } from '../../api/flags.js';

export interface ConformanceOptions {
  kubeconfig: string;
}

export function readConformanceOptions(values: FlagValues): ConformanceOptions {
  return {
    kubeconfig: values.str('kubeconfig'),
  };
}
