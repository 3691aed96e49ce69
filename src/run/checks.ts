// Steps between up and the tests that only talk to the cluster through kubectl.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findReleaseBinary } from '../testers/ginkgo.js';
import { writeFileAtomic } from '../report/atomic.js';
import { sleep } from '../process/proctable.js';
import type { RunContext } from './context.js';
import type { StepContext } from './step.js';

/** kubectl for our own checks: the deployer's, else ./cluster/kubectl.sh, else the release's, else PATH. */
export function kubectlArgv(ctx: Pick<RunContext, 'deployer' | 'kubeRoot'>): string[] {
  const fromDeployer = ctx.deployer.kubectl?.();
  if (fromDeployer) return fromDeployer;
  if (existsSync(join(ctx.kubeRoot, 'cluster', 'kubectl.sh'))) return ['./cluster/kubectl.sh'];
  const rel = findReleaseBinary(ctx.kubeRoot, 'kubectl');
  return [rel ?? 'kubectl'];
}

/** $KUBECTL for child scripts: one string, as kubetest exports it. */
export function kubectlEnvValue(ctx: Pick<RunContext, 'deployer' | 'kubeRoot' | 'cfg'>): string {
  const argv = kubectlArgv(ctx);
  return [...argv, ...(ctx.cfg.checkVersionSkew ? ['--match-server-version'] : [])].join(' ');
}

export function apiReachabilityArgv(ctx: Pick<RunContext, 'deployer' | 'kubeRoot'>): string[] {
  return [...kubectlArgv(ctx), '--match-server-version=false', 'version'];
}

export async function checkApiReachability(sc: StepContext, tries = 5, pauseMs = 10_000): Promise<void> {
  let last: unknown;
  for (let i = 0; i < tries; i++) {
    try {
      await sc.exec(apiReachabilityArgv(sc.run));
      return;
    } catch (e) {
      last = e;
      if (i < tries - 1) {
        sc.log(`API not reachable yet; retrying in ${pauseMs / 1000}s`);
        await sleep(pauseMs, sc.signal);
      }
    }
  }
  throw last;
}

export async function listNodes(sc: StepContext, dumpDir: string): Promise<void> {
  const r = await sc.exec(listNodesArgv(sc.run), { captureStdout: true });
  writeFileAtomic(join(dumpDir, 'nodes.yaml'), r.stdout);
}

/** kubetest's `list nodes`: never fails on a client/server version skew. */
export function listNodesArgv(ctx: Pick<RunContext, 'deployer' | 'kubeRoot'>): string[] {
  return [...kubectlArgv(ctx), '--match-server-version=false', 'get', 'nodes', '-oyaml'];
}

/** kubetest's `kubectl version` step: a reachability check, so a skew never fails it (--check-version-skew
 * governs $KUBECTL for the tests, not this check). */
export function kubectlVersionArgv(ctx: Pick<RunContext, 'deployer' | 'kubeRoot'>): string[] {
  return [...kubectlArgv(ctx), '--match-server-version=false', 'version'];
}
