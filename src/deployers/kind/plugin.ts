// The kind deployer as a plug-in (deployers/registry.ts lists it).
import { defineDeployer } from '../../api/plugin.js';
import { KindDeployer } from './deployer.js';
import { readKindOptions } from './options.js';

export const plugin = defineDeployer({
  options: (values) => readKindOptions(values),
  create: (options, common) => new KindDeployer(options, common),
});
