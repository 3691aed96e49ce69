// The test phase: test setup, the checks before the tests, the testers (e2e, skew, upgrade, --test-cmd) and
// the pre/post hooks. Each command comes from its Tester, for --dry-run and the run alike.
import { join } from 'node:path';
import { hasKubemark, hasTestArgs, hasUpgrade, skipsKubectlVersion } from '../../api/deployer.js';
import type { Tester } from '../../api/tester.js';
import { e2eTester, hookTester, kubemarkTester, testCmdTester, upgradeTester } from '../../testers/registry.js';
import { writeFileAtomic } from '../../util/atomic.js';
import { kubectlEnvValue, kubectlVersionArgv, siteOf } from '../checks.js';
import type { RunContext } from '../context.js';
import { extendEnv, type Step } from '../step.js';
import { planned } from './cluster.js';

function testSetupStep(ctx: RunContext, id: string): Step {
  return {
    id,
    name: 'test setup',
    commands: planned(ctx, 'testSetup'),
    run: async (sc) => {
      const out = (await ctx.deployer.testSetup(sc)) ?? {};
      return { ...out, env: { ...out.env, KUBECTL: kubectlEnvValue(siteOf(sc)) } };
    },
  };
}

function testerStep(ctx: RunContext, id: string, tester: Tester, requires: string[]): Step {
  return {
    id,
    name: tester.stepName,
    requires,
    commands: () => [tester.argv({ kubeRoot: ctx.kubeRoot, env: ctx.env, planning: true })],
    run: (sc) => tester.run(sc),
  };
}

const notImplemented = (id: string, name: string, flag: string): Step => ({
  id,
  name,
  run: async () => {
    throw new Error(`${flag} is not implemented yet`);
  },
});

export function upgradeSteps(ctx: RunContext): Step[] {
  if (!ctx.cfg.upgradeArgs) return [];
  const tester = upgradeTester(ctx.cfg);
  const step = testerStep(ctx, 'upgrade', tester, ['upgrade-setup']);
  const { deployer } = ctx;
  // A deployer that can upgrade its cluster does it first, to kubernetes_skew/'s release (on GCE the upgrade
  // tests themselves call the cluster's upgrade scripts).
  if (hasUpgrade(deployer)) {
    step.run = async (sc) => {
      await deployer.upgrade(sc, join(sc.workDir, 'kubernetes_skew'));
      return tester.run(sc);
    };
  }
  return [testSetupStep(ctx, 'upgrade-setup'), step];
}

export function e2eSteps(ctx: RunContext): Step[] {
  const { cfg, deployer } = ctx;
  if (!cfg.test) return [];
  const steps = [testSetupStep(ctx, 'test-setup')];
  if (cfg.testCmd.preCmd) {
    steps.push(testerStep(ctx, 'pre-test-cmd', hookTester('pre-test command', cfg.testCmd.preCmd), ['test-setup']));
  }
  if (cfg.nodeTests) {
    steps.push({ ...notImplemented('node-tests', 'Node Tests', '--node-tests'), requires: ['test-setup'] });
    return steps;
  }
  steps.push({
    id: 'isup',
    name: 'IsUp',
    requires: ['test-setup'],
    commands: planned(ctx, 'isUp'),
    run: (sc) => deployer.isUp(sc),
  });
  if (!skipsKubectlVersion(deployer)) {
    steps.push({
      id: 'kubectl-version',
      name: 'kubectl version',
      requires: ['isup'],
      commands: () => [kubectlVersionArgv(ctx)],
      run: async (sc) => {
        await sc.exec(kubectlVersionArgv(siteOf(sc)));
      },
    });
  }
  const deployerArgs = hasTestArgs(deployer) ? deployer.extraTestArgs() : [];
  steps.push(testerStep(ctx, 'test', e2eTester(cfg, deployerArgs), ['isup']));
  return steps;
}

export function kubemarkSteps(ctx: RunContext): Step[] {
  const { cfg, deployer } = ctx;
  if (!cfg.kubemark) return [];
  if (!hasKubemark(deployer)) {
    return [notImplemented('kubemark', 'Kubemark Overall', `--kubemark with --deployment=${cfg.deployment}`)];
  }
  const km = deployer.kubemarkCluster();
  const tester = kubemarkTester(cfg);
  const steps: Step[] = [
    {
      id: 'kubemark',
      name: 'Kubemark Overall',
      commands: () => [tester.argv({ kubeRoot: ctx.kubeRoot, env: ctx.env, planning: true })],
      run: async (sc) => {
        await km.down(sc); // what an earlier run left
        await km.up(sc);
        await km.isUp(sc);
        if (cfg.dump) {
          const r = await sc.exec([...km.kubectl()!, 'get', 'nodes', '-oyaml'], {
            captureStdout: true,
            verbose: false,
          });
          writeFileAtomic(join(cfg.dump, 'kubemark_nodes.yaml'), r.stdout);
        }
        const kubeconfig = km.kubeconfigPath()!;
        await tester.run(extendEnv(sc, { KUBECONFIG: kubeconfig }));
      },
    },
  ];
  if (cfg.down) {
    steps.push({
      id: 'kubemark-teardown',
      name: 'Kubemark TearDown',
      cleanup: true,
      final: 'unless-killed',
      when: (s) => s.results.has('kubemark'),
      run: async (sc) => {
        if (cfg.dump && !cfg.skipDumpClusterLogs) await km.dumpClusterLogs(sc, cfg.dump);
        await km.down(sc);
      },
    });
  }
  return steps;
}

export function testCmdSteps(ctx: RunContext): Step[] {
  const { cfg } = ctx;
  if (!cfg.testCmd.cmd) return [];
  const steps = [testSetupStep(ctx, 'testcmd-setup')];
  if (cfg.testCmd.preCmd) {
    steps.push(testerStep(ctx, 'testcmd-pre', hookTester('pre-test command', cfg.testCmd.preCmd), ['testcmd-setup']));
  }
  steps.push(testerStep(ctx, 'test-cmd', testCmdTester(cfg), ['testcmd-setup']));
  return steps;
}

export function postTestSteps(ctx: RunContext): Step[] {
  const { cfg } = ctx;
  if (!cfg.testCmd.postCmd || !(cfg.test || cfg.testCmd.cmd)) return [];
  return [{ ...testerStep(ctx, 'post-test-cmd', hookTester('post-test command', cfg.testCmd.postCmd), []) }];
}

export function chartsSteps({ cfg }: RunContext): Step[] {
  return cfg.charts ? [notImplemented('charts', 'Helm Charts', '--charts')] : [];
}
