// RunConfig → the ordered steps of kubetest's lifecycle (reference §2), with §14's bugs fixed:
// publish runs once; no save of a deleted cluster; the dump dir is created; teardown is not run twice
// (only retried once if it failed); post-test command runs while the cluster is still up.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { bool, str } from '../cli/config.js';
import { hasPublish } from '../deployers/types.js';
import { buildCommands } from '../release/build/plan.js';
import { extractCommands } from '../release/extract-plan.js';
import { ginkgoArgv, missingTestBinaries } from '../testers/ginkgo.js';
import { StepFailure } from '../process/errors.js';
import { hookArgv, testCmdArgv } from '../testers/exec.js';
import { skewArgv } from '../testers/skew.js';
import {
  apiReachabilityArgv,
  checkApiReachability,
  kubectlEnvValue,
  kubectlVersionArgv,
  listNodes,
  listNodesArgv,
} from './checks.js';
import type { RunContext } from './context.js';
import { gcpPrepareStep } from './prepare-gcp.js';
import { ok, type RunState, type Step, type StepContext } from './step.js';

// Step bodies with heavy dependencies (tar, HTTP, cloud SDKs) load when they run, not at startup.
const runBuild = async (sc: StepContext) => (await import('../release/build/index.js')).runBuild(sc);
const runStage = async (sc: StepContext) => (await import('../release/stage.js')).runStage(sc);
const runExtract = async (sc: StepContext) => (await import('../release/extract.js')).runExtract(sc);
const runSave = async (sc: StepContext) => (await import('../release/save.js')).runSave(sc);
const runPublish = async (sc: StepContext) => (await import('../release/publish.js')).runPublish(sc);

const touched = (s: RunState) => s.clusterTouched;

export function buildPlan(ctx: RunContext): Step[] {
  const { cfg, deployer } = ctx;
  const steps: Step[] = [];
  const add = (s: Step) => steps.push(s);
  const clusterMayExist = (s: RunState) => !cfg.up || touched(s);
  const dumpDir = cfg.dump;
  const skipDump = bool(cfg, 'skip-dump-cluster-logs');
  const testCmd = str(cfg, 'test-cmd');
  const preTestCmd = str(cfg, 'pre-test-cmd');
  const postTestCmd = str(cfg, 'post-test-cmd');
  const upgradeArgs = str(cfg, 'upgrade_args');
  const nodeTests = bool(cfg, 'node-tests');
  const planned = (verb: Parameters<NonNullable<typeof deployer.plannedCommands>>[0]) => () =>
    deployer.plannedCommands?.(verb) ?? [];
  const setKubectlEnv = () => {
    ctx.env['KUBECTL'] = kubectlEnvValue(ctx);
  };
  const testSetup = (id: string): Step => ({
    id,
    name: 'test setup',
    commands: planned('testSetup'),
    run: async (sc) => {
      await deployer.testSetup(sc);
      setKubectlEnv();
    },
  });

  const prepare = gcpPrepareStep(ctx);
  if (prepare) add(prepare);
  if (cfg.build) {
    add({ id: 'build', name: 'Build', abortOnFailure: true, commands: () => buildCommands(cfg), run: runBuild });
  }
  if (cfg.stage) {
    add({ id: 'stage', name: 'Stage', abortOnFailure: true, run: runStage });
  }
  if (cfg.extract.length > 0) {
    add({
      id: 'extract',
      name: 'Extract',
      abortOnFailure: true,
      commands: () => extractCommands(ctx),
      run: async (sc) => {
        await runExtract(sc);
        setKubectlEnv();
      },
    });
  }
  if (cfg.up) {
    add({
      id: 'teardown-previous',
      name: 'TearDown Previous',
      abortOnFailure: true,
      touchesCluster: true,
      commands: planned('down'),
      run: async (sc) => {
        sc.run.env['KUBECTL'] ??= kubectlEnvValue(ctx);
        await deployer.down(sc);
      },
    });
  }
  if (bool(cfg, 'check-leaked-resources')) {
    add(leakStep('leaks-before', 'listResources Before', 'before'));
  }
  if (cfg.up) {
    const upFailedDump: Step[] =
      dumpDir && !skipDump
        ? [
            {
              id: 'dump-up-failed',
              name: 'DumpClusterLogs (--up failed)',
              cleanup: true,
              run: (sc) => deployer.dumpClusterLogs(sc, dumpDir),
            },
          ]
        : [];
    add({
      id: 'up',
      name: 'Up',
      abortOnFailure: true,
      touchesCluster: true,
      commands: planned('up'),
      onFailure: upFailedDump,
      run: async (sc) => {
        sc.run.env['KUBECTL'] ??= kubectlEnvValue(ctx);
        await deployer.up(sc);
        setKubectlEnv();
      },
    });
    if (!nodeTests) {
      add({
        id: 'api-reachability',
        name: 'Check APIReachability',
        requires: ['up'],
        commands: () => [apiReachabilityArgv(ctx)],
        run: (sc) => checkApiReachability(sc),
      });
      if (dumpDir) {
        add({
          id: 'list-nodes',
          name: 'list nodes',
          requires: ['up'],
          commands: () => [listNodesArgv(ctx)],
          run: (sc) => listNodes(sc, dumpDir),
        });
      }
    }
    if (bool(cfg, 'check-leaked-resources')) add(leakStep('leaks-up', 'listResources Up', 'cluster-up'));
  }
  if (upgradeArgs) {
    add(testSetup('upgrade-setup'));
    add({
      id: 'upgrade',
      name: 'UpgradeTest',
      requires: ['upgrade-setup'],
      commands: () => [skewArgv(ctx, upgradeArgs, 'upgrade')],
      run: async (sc) => {
        const env = { ...sc.run.env };
        delete env['GINKGO_PARALLEL'];
        delete env['GINKGO_PARALLEL_NODES'];
        await sc.exec(skewArgv(ctx, upgradeArgs, 'upgrade'), { cwd: join(ctx.workDir, 'kubernetes_skew'), env });
      },
    });
  }
  const preDump = str(cfg, 'dump-pre-test-logs');
  if (preDump && !skipDump) {
    add({
      id: 'pre-test-dump',
      name: 'pre-test DumpClusterLogs',
      when: clusterMayExist,
      commands: planned('dump'),
      run: (sc) => deployer.dumpClusterLogs(sc, preDump),
    });
  }
  if (cfg.test) {
    add(testSetup('test-setup'));
    if (preTestCmd) {
      add({
        id: 'pre-test-cmd',
        name: 'pre-test command',
        requires: ['test-setup'],
        commands: () => [hookArgv(preTestCmd, ctx.env)],
        run: async (sc) => {
          await sc.exec(hookArgv(preTestCmd, sc.run.env));
        },
      });
    }
    if (nodeTests) {
      add({
        id: 'node-tests',
        name: 'Node Tests',
        requires: ['test-setup'],
        run: async () => {
          throw new Error('--node-tests is not implemented yet');
        },
      });
    } else {
      add({
        id: 'isup',
        name: 'IsUp',
        requires: ['test-setup'],
        commands: planned('isUp'),
        run: (sc) => deployer.isUp(sc),
      });
      if (cfg.deployment !== 'conformance') {
        add({
          id: 'kubectl-version',
          name: 'kubectl version',
          requires: ['isup'],
          commands: () => [kubectlVersionArgv(ctx)],
          run: async (sc) => {
            await sc.exec(kubectlVersionArgv(sc.run));
          },
        });
      }
      const skew = bool(cfg, 'skew');
      add({
        id: 'test',
        name: skew ? 'SkewTest' : 'Test',
        requires: ['isup'],
        commands: () => [
          skew
            ? skewArgv(ctx, cfg.testArgs.join(' '), 'skew')
            : ginkgoArgv({
                cfg,
                kubeRoot: ctx.kubeRoot,
                env: ctx.env,
                extraArgs: deployer.extraTestArgs?.(),
                ...(cfg.extract.length > 0 && !existsSync(ctx.kubeRoot) ? { scriptPresent: true } : {}),
              }),
        ],
        run: async (sc) => {
          if (skew) {
            await sc.exec(skewArgv(sc.run, cfg.testArgs.join(' '), 'skew'), {
              cwd: join(ctx.workDir, 'kubernetes_skew'),
            });
          } else {
            const missing = missingTestBinaries(sc.run.kubeRoot);
            if (missing) throw new StepFailure(missing);
            await sc.exec(
              ginkgoArgv({ cfg, kubeRoot: sc.run.kubeRoot, env: sc.run.env, extraArgs: deployer.extraTestArgs?.() }),
            );
          }
        },
      });
    }
  }
  if (bool(cfg, 'kubemark')) {
    add({
      id: 'kubemark',
      name: 'Kubemark Overall',
      run: async () => {
        throw new Error('--kubemark is not implemented yet');
      },
    });
  }
  if (testCmd) {
    add(testSetup('testcmd-setup'));
    if (preTestCmd) {
      add({
        id: 'testcmd-pre',
        name: 'pre-test command',
        requires: ['testcmd-setup'],
        commands: () => [hookArgv(preTestCmd, ctx.env)],
        run: async (sc) => {
          await sc.exec(hookArgv(preTestCmd, sc.run.env));
        },
      });
    }
    add({
      id: 'test-cmd',
      name: str(cfg, 'test-cmd-name') || testCmd,
      requires: ['testcmd-setup'],
      commands: () => [testCmdArgv(cfg, ctx.env)],
      run: async (sc) => {
        await sc.exec(testCmdArgv(cfg, sc.run.env));
      },
    });
  }
  if (postTestCmd && (cfg.test || testCmd)) {
    add({
      id: 'post-test-cmd',
      name: 'post-test command',
      commands: () => [hookArgv(postTestCmd, ctx.env)],
      run: async (sc) => {
        await sc.exec(hookArgv(postTestCmd, sc.run.env));
      },
    });
  }
  if (bool(cfg, 'charts')) {
    add({
      id: 'charts',
      name: 'Helm Charts',
      run: async () => {
        throw new Error('--charts is not implemented yet');
      },
    });
  }
  if (dumpDir && !skipDump) {
    add({
      id: 'dump',
      name: 'DumpClusterLogs',
      cleanup: true,
      when: clusterMayExist,
      commands: planned('dump'),
      run: (sc) => deployer.dumpClusterLogs(sc, dumpDir),
    });
  }
  if (bool(cfg, 'check-leaked-resources'))
    add({ ...leakStep('leaks-down', 'listResources Down', 'cluster-down'), cleanup: true });
  if (cfg.down) {
    add({
      id: 'teardown',
      name: 'TearDown',
      cleanup: true,
      when: clusterMayExist,
      commands: planned('down'),
      run: (sc) => deployer.down(sc),
    });
  }
  if (str(cfg, 'save') && cfg.up && !cfg.down) {
    add({ id: 'save', name: 'Save Cluster State', requires: ['up'], run: runSave });
  }
  if (bool(cfg, 'check-leaked-resources')) {
    add({
      ...leakStep('leaks-after', 'listResources After', 'after'),
      cleanup: true,
      when: (s) => !cfg.down || ok(s, 'teardown'),
    });
    add({
      id: 'leaks-diff',
      name: 'diffResources',
      cleanup: true,
      requires: ['leaks-before', 'leaks-after'],
      run: async () => {
        throw new Error('--check-leaked-resources is not implemented yet');
      },
    });
  }
  if (hasPublish(deployer)) {
    add({ id: 'deployer-publish', name: 'Publish', when: (s) => s.failures === 0, run: (sc) => deployer.publish(sc) });
  }
  if (str(cfg, 'publish')) {
    add({ id: 'publish', name: 'Publish version', when: (s) => s.failures === 0, run: runPublish });
  }
  if (cfg.down) {
    add({
      id: 'deferred-teardown',
      name: 'Deferred TearDown',
      cleanup: true,
      contingency: true,
      when: (s) => s.results.get('teardown')?.status === 'failed',
      run: (sc) => deployer.down(sc),
    });
  }
  return steps;
}

function leakStep(id: string, name: string, _phase: string): Step {
  return {
    id,
    name,
    run: async () => {
      throw new Error('--check-leaked-resources is not implemented yet');
    },
  };
}
