// Flags of the bash deployer: help section "bash".
import { type FlagDef, boolFlag } from '../../api/flags.js';

const b = boolFlag;

export const FLAGS: readonly FlagDef[] = [
  b('bash-node-logging', 'bash', 'Enable node logging to GCP (KUBE_ENABLE_NODE_LOGGING).'),
];
