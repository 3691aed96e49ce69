// The local deployer as a plug-in (deployers/registry.ts lists it).
import { defineDeployer } from '../../api/plugin.js';
import { LocalDeployer } from './deployer.js';
import { readLocalOptions } from './options.js';

export const plugin = defineDeployer({
  options: (values, common) => readLocalOptions(values, common),
  create: (options, common) => new LocalDeployer(options, common),
});
