// The gke deployer as a plug-in (deployers/registry.ts lists it).
import { defineDeployer } from '../../api/plugin.js';
import { GkeDeployer } from './deployer.js';
import { readGkeOptions } from './options.js';

export const plugin = defineDeployer({
  options: (values) => readGkeOptions(values),
  create: (options, common) => new GkeDeployer(options, common),
});
