// Build, Stage and Extract: a release for the run. Their bodies load heavy libraries (tar, HTTP, cloud SDKs)
// only when they run, not at startup.
import { hasBuild, hasPublish } from '../../api/deployer.js';
import { buildCommands } from '../../release/build/plan.js';
import { extractCommands } from '../../release/extract-plan.js';
import { kubectlEnvValue } from '../checks.js';
import type { RunContext } from '../context.js';
import type { Step } from '../step.js';

/** Build: the release (--build) and, beside it, what the deployer builds for itself (kwok), so Up only starts. */
export function buildSteps({ cfg, deployer }: RunContext): Step[] {
  if (!cfg.build) return [];
  return [
    {
      id: 'build',
      name: 'Build',
      abortOnFailure: true,
      commands: () => buildCommands(cfg),
      run: async (sc) => {
        const { runBuild } = await import('../../release/build/index.js');
        // The deployer's own builds (kwok: minutes on a cold machine) run beside the release's: a Go build
        // leaves a core idle while it downloads and links. Both finish before the step ends, even on failure.
        const [release, own] = await Promise.allSettled([
          runBuild(sc),
          hasBuild(deployer) ? deployer.build(sc) : Promise.resolve(undefined),
        ]);
        if (release.status === 'rejected') throw release.reason;
        if (own.status === 'rejected') throw own.reason;
        const out = release.value;
        const extra = own.value ?? {};
        return { ...out, ...extra, env: { ...out.env, ...extra.env } };
      },
    },
  ];
}

export function stageSteps({ cfg }: RunContext): Step[] {
  if (!cfg.stage) return [];
  return [
    {
      id: 'stage',
      name: 'Stage',
      abortOnFailure: true,
      run: async (sc) => (await import('../../release/stage.js')).runStage(sc),
    },
  ];
}

export function extractSteps(ctx: RunContext): Step[] {
  const { cfg, deployer } = ctx;
  if (cfg.extract.length === 0) return [];
  return [
    {
      id: 'extract',
      name: 'Extract',
      abortOnFailure: true,
      commands: () => extractCommands(ctx),
      run: async (sc) => {
        const out = await (await import('../../release/extract.js')).runExtract(sc);
        const kubeRoot = out.kubeRoot ?? sc.kubeRoot;
        return { ...out, env: { ...out.env, KUBECTL: kubectlEnvValue({ deployer, kubeRoot, cfg }) } };
      },
    },
  ];
}

export function saveSteps({ cfg }: RunContext): Step[] {
  if (!cfg.save || !cfg.up || cfg.down) return [];
  return [
    {
      id: 'save',
      name: 'Save Cluster State',
      requires: ['up'],
      run: async (sc) => (await import('../../release/save.js')).runSave(sc),
    },
  ];
}

/** After a fully successful run: the deployer's own publish (kops), then --publish of the version. */
export function publishSteps({ cfg, deployer }: RunContext): Step[] {
  const steps: Step[] = [];
  if (hasPublish(deployer)) {
    steps.push({
      id: 'deployer-publish',
      name: 'Publish',
      when: (s) => s.failures === 0,
      run: (sc) => deployer.publish(sc),
    });
  }
  if (cfg.publish) {
    steps.push({
      id: 'publish',
      name: 'Publish version',
      when: (s) => s.failures === 0,
      run: async (sc) => (await import('../../release/publish.js')).runPublish(sc),
    });
  }
  return steps;
}
