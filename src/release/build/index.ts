// The Build step: kubetest's make targets in a kubernetes/kubernetes tree, or --build=module.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { StepFailure } from '../../process/errors.js';
import { startActivity } from '../../run/progress.js';
import type { StepContext } from '../../run/step.js';
import { buildModuleRelease } from './module.js';
import { buildCommands, kubeSourceTree } from './plan.js';

export async function runBuild(sc: StepContext): Promise<void> {
  const { cfg } = sc.run;
  if (cfg.build === 'none') return;
  if (cfg.build === 'module') {
    const activity = startActivity(sc.run.log, sc.stepName, `building Kubernetes ${cfg.buildVersion} from Go modules`);
    try {
      const built = await buildModuleRelease({
        version: cfg.buildVersion,
        cacheDir: cfg.cacheDir,
        outputDir: cfg.buildOutput,
        exec: (argv, opts) => sc.exec(argv, { ...opts, verbose: false }),
        env: sc.run.env,
        log: sc.log,
        progress: (d) => activity.update(d),
        logFile: sc.logFile,
      });
      sc.run.builtRelease = { version: built.version, dir: built.stageDir };
      activity.done(`release ${built.version} ready in ${built.stageDir}`);
    } catch (e) {
      activity.done();
      throw e;
    }
  } else {
    const tree = kubeSourceTree(sc.run.kubeRoot, sc.run.env);
    if (!existsSync(join(tree, 'Makefile'))) {
      throw new StepFailure(
        `--build=${cfg.build} needs a kubernetes/kubernetes checkout at ${tree} (or use --build=module)`,
      );
    }
    for (const argv of buildCommands(cfg, sc.run.kubeRoot, sc.run.env)) await sc.exec(argv, { cwd: tree });
  }
  if (cfg.values.get('flush-mem-after-build') || sc.run.env['KUBETEST_IN_DOCKER'] === 'true') {
    await sc.exec(['sync']);
  }
}
