// The test phase: test setup, the checks before the tests, the testers (e2e, skew, upgrade, --test-cmd) and
// the pre/post hooks. Each command comes from its Tester, for --dry-run and the run alike.
import { hasTestArgs, skipsKubectlVersion } from '../../api/deployer.js';
import type { Tester } from '../../api/tester.js';
import { e2eTester, hookTester, testCmdTester, upgradeTester } from '../../testers/registry.js';
import { kubectlEnvValue, kubectlVersionArgv, siteOf } from '../checks.js';
import type { RunContext } from '../context.js';
import type { Step } from '../step.js';
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
  return [testSetupStep(ctx, 'upgrade-setup'), testerStep(ctx, 'upgrade', upgradeTester(ctx.cfg), ['upgrade-setup'])];
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

export function kubemarkSteps({ cfg }: RunContext): Step[] {
  return cfg.kubemark ? [notImplemented('kubemark', 'Kubemark Overall', '--kubemark')] : [];
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
