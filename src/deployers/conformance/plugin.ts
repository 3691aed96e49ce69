// The conformance deployer as a plug-in (deployers/registry.ts lists it).
import { defineDeployer } from '../../api/plugin.js';
import { ConformanceDeployer } from './deployer.js';
import { readConformanceOptions } from './options.js';

export const plugin = defineDeployer({
  options: (values) => readConformanceOptions(values),
  create: (options) => new ConformanceDeployer(options),
});
