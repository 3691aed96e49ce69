// Every --deployment: its flags (declared in its folder, loaded at startup for parsing and --help) and its
// plug-in (loaded only when chosen). Adding a deployer is a folder and one line here.
import type { FlagDef } from '../api/flags.js';
import type { DeployerPlugin } from '../api/plugin.js';
import { FLAGS as AKS_FLAGS } from './aks/flags.js';
import { FLAGS as BASH_FLAGS } from './bash/flags.js';
import { FLAGS as GKE_FLAGS } from './gke/flags.js';
import { FLAGS as KIND_FLAGS } from './kind/flags.js';
import { FLAGS as KOPS_FLAGS } from './kops/flags.js';
import { FLAGS as LOCAL_FLAGS } from './local/flags.js';

export interface DeployerEntry {
  name: string;
  flags?: readonly FlagDef[];
  /** A help section of the plug-in's own (its flags' group), when it is not one cli/flags.ts knows. */
  helpSection?: { group: string; title: string };
  /** Absent: accepted by the parser (job configs name it) but not implemented here. */
  load?: () => Promise<DeployerPlugin>;
}

const plugin = (p: Promise<{ plugin: unknown }>) => p.then((m) => m.plugin as DeployerPlugin);

export const DEPLOYERS: readonly DeployerEntry[] = [
  { name: 'bash', flags: BASH_FLAGS, load: () => plugin(import('./bash/plugin.js')) },
  { name: 'conformance', load: () => plugin(import('./conformance/plugin.js')) },
  { name: 'gke', flags: GKE_FLAGS, load: () => plugin(import('./gke/plugin.js')) },
  { name: 'kind', flags: KIND_FLAGS, load: () => plugin(import('./kind/plugin.js')) },
  { name: 'kops', flags: KOPS_FLAGS, load: () => plugin(import('./kops/plugin.js')) },
  { name: 'node', load: () => plugin(import('./node/deployer.js')) },
  { name: 'none', load: () => plugin(import('./none/deployer.js')) },
  { name: 'local', flags: LOCAL_FLAGS, load: () => plugin(import('./local/plugin.js')) },
  { name: 'aksengine', flags: AKS_FLAGS },
  { name: 'aks' },
];

export function findDeployer(name: string): DeployerEntry | undefined {
  return DEPLOYERS.find((e) => e.name === name);
}
