// The Build step: kubetest's make targets in a kubernetes/kubernetes tree, or --build=module.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { StepFailure } from '../../process/errors.js';
import { startActivity } from '../../run/progress.js';
import type { RunStepContext, RunStepOutput } from '../../run/step.js';
import { buildModuleRelease } from './module.js';
import { buildCommands, kubeSourceTree } from './plan.js';

export async function runBuild(sc: RunStepContext): Promise<RunStepOutput> {
  const { cfg } = sc.run;
  if (cfg.build === 'none') return {};
  let out: RunStepOutput = {};
  if (cfg.build === 'module') {
    const activity = startActivity(sc.logger, sc.stepName, `building Kubernetes ${cfg.buildVersion} from Go modules`);
    try {
      const built = await buildModuleRelease({
        version: cfg.buildVersion,
        cacheDir: cfg.cacheDir,
        outputDir: cfg.buildOutput,
        exec: (argv, opts) => sc.exec(argv, { ...opts, verbose: false }),
        env: sc.env,
        log: sc.log,
        progress: (d) => activity.update(d),
        logFile: sc.logFile,
      });
      out = { builtRelease: { version: built.version, dir: built.stageDir } };
      activity.done(`release ${built.version} ready in ${built.stageDir}`);
    } catch (e) {
      activity.done();
      throw e;
    }
  } else {
    const tree = kubeSourceTree(sc.kubeRoot, sc.env);
    if (!existsSync(join(tree, 'Makefile'))) {
      throw new StepFailure(
        `--build=${cfg.build} needs a kubernetes/kubernetes checkout at ${tree} (or use --build=module)`,
      );
    }
    for (const argv of buildCommands(cfg, sc.kubeRoot, sc.env)) await sc.exec(argv, { cwd: tree });
  }
  if (cfg.flushMemAfterBuild || sc.env['KUBETEST_IN_DOCKER'] === 'true') {
    await sc.exec(['sync']);
  }
  return out;
}
