// The bash deployer as a plug-in (deployers/registry.ts lists it).
import { defineDeployer } from '../../api/plugin.js';
import { BashDeployer } from './deployer.js';
import { readBashOptions } from './options.js';

export const plugin = defineDeployer({
  options: (values) => readBashOptions(values),
  create: (options, common) => new BashDeployer(options, common),
});
