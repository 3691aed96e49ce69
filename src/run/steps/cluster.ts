// The cluster's lifecycle around the tests: TearDown Previous, Up and its checks, the dumps, TearDown.
import { hasDryRun, teardownIsLocal, type PlannedVerb } from '../../api/deployer.js';
import {
  apiReachabilityArgv,
  checkApiReachability,
  listNodesArgv,
  kubectlEnvValue,
  listNodes,
  siteOf,
} from '../checks.js';
import type { RunContext } from '../context.js';
import { extendEnv, type RunState, type Step } from '../step.js';

/** The commands a deployer verb will run, for --dry-run. */
export const planned = (ctx: RunContext, verb: PlannedVerb) => () =>
  hasDryRun(ctx.deployer) ? ctx.deployer.plannedCommands(verb) : [];

/** Without --up the cluster exists already; with it, once Up (or TearDown Previous) has started. */
const clusterMayExist =
  ({ cfg }: RunContext) =>
  (s: RunState) =>
    !cfg.up || s.clusterTouched;

const withKubectl = (ctx: RunContext, kubeRoot: string, env: Readonly<NodeJS.ProcessEnv>): Record<string, string> =>
  env['KUBECTL'] === undefined ? { KUBECTL: kubectlEnvValue({ ...ctx, kubeRoot }) } : {};

export function teardownPreviousSteps(ctx: RunContext): Step[] {
  if (!ctx.cfg.up) return [];
  return [
    {
      id: 'teardown-previous',
      name: 'TearDown Previous',
      abortOnFailure: true,
      touchesCluster: true,
      commands: planned(ctx, 'down'),
      run: async (sc) => {
        const env = withKubectl(ctx, sc.kubeRoot, sc.env);
        await ctx.deployer.down(extendEnv(sc, env));
        return { env };
      },
    },
  ];
}

export function upSteps(ctx: RunContext): Step[] {
  const { cfg, deployer } = ctx;
  if (!cfg.up) return [];
  const dumpDir = cfg.dump;
  const upFailedDump: Step[] =
    dumpDir && !cfg.skipDumpClusterLogs
      ? [
          {
            id: 'dump-up-failed',
            name: 'DumpClusterLogs (--up failed)',
            cleanup: true,
            run: (sc) => deployer.dumpClusterLogs(sc, dumpDir),
          },
        ]
      : [];
  const steps: Step[] = [
    {
      id: 'up',
      name: 'Up',
      abortOnFailure: true,
      touchesCluster: true,
      commands: planned(ctx, 'up'),
      onFailure: upFailedDump,
      run: async (sc) => {
        const before = withKubectl(ctx, sc.kubeRoot, sc.env);
        const out = (await deployer.up(extendEnv(sc, before))) ?? {};
        return { ...out, env: { ...out.env, KUBECTL: kubectlEnvValue({ ...ctx, kubeRoot: sc.kubeRoot }) } };
      },
    },
  ];
  if (!cfg.nodeTests) {
    steps.push({
      id: 'api-reachability',
      name: 'Check APIReachability',
      requires: ['up'],
      commands: () => [apiReachabilityArgv(ctx)],
      run: (sc) => checkApiReachability(sc, siteOf(sc)),
    });
    if (dumpDir) {
      steps.push({
        id: 'list-nodes',
        name: 'list nodes',
        requires: ['up'],
        commands: () => [listNodesArgv(ctx)],
        run: (sc) => listNodes(sc, siteOf(sc), dumpDir),
      });
    }
  }
  return steps;
}

export function preTestDumpSteps(ctx: RunContext): Step[] {
  const dir = ctx.cfg.dumpPreTestLogs;
  if (!dir || ctx.cfg.skipDumpClusterLogs) return [];
  return [
    {
      id: 'pre-test-dump',
      name: 'pre-test DumpClusterLogs',
      when: clusterMayExist(ctx),
      commands: planned(ctx, 'dump'),
      run: (sc) => ctx.deployer.dumpClusterLogs(sc, dir),
    },
  ];
}

export function dumpSteps(ctx: RunContext): Step[] {
  const dir = ctx.cfg.dump;
  if (!dir || ctx.cfg.skipDumpClusterLogs) return [];
  return [
    {
      id: 'dump',
      name: 'DumpClusterLogs',
      cleanup: true,
      // Once per run: after a failed Up the logs were dumped right then (kubetest dumps once too).
      when: (s) => clusterMayExist(ctx)(s) && !s.results.has('dump-up-failed'),
      commands: planned(ctx, 'dump'),
      run: (sc) => ctx.deployer.dumpClusterLogs(sc, dir),
    },
  ];
}

export function teardownSteps(ctx: RunContext): Step[] {
  if (!ctx.cfg.down) return [];
  return [
    {
      id: 'teardown',
      name: 'TearDown',
      cleanup: true,
      final: teardownIsLocal(ctx.deployer) ? 'always' : 'unless-killed',
      when: clusterMayExist(ctx),
      commands: planned(ctx, 'down'),
      run: (sc) => ctx.deployer.down(sc),
    },
  ];
}

/** Retries a failed TearDown once at the very end (kubetest's deferred teardown, but never twice). */
export function deferredTeardownSteps(ctx: RunContext): Step[] {
  if (!ctx.cfg.down) return [];
  return [
    {
      id: 'deferred-teardown',
      name: 'Deferred TearDown',
      cleanup: true,
      final: teardownIsLocal(ctx.deployer) ? 'always' : 'unless-killed',
      contingency: true,
      when: (s) => s.results.get('teardown')?.status === 'failed',
      run: (sc) => ctx.deployer.down(sc),
    },
  ];
}
