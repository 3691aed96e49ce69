// The kops deployer as a plug-in (deployers/registry.ts lists it).
import { defineDeployer } from '../../api/plugin.js';
import { KopsDeployer } from './deployer.js';
import { readKopsOptions } from './options.js';

export const plugin = defineDeployer({
  options: (values) => readKopsOptions(values),
  create: (options, common) => new KopsDeployer(options, common),
});
