// Steps between up and the tests that only talk to the cluster through kubectl.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findReleaseBinary } from '../release/find-binary.js';
import { writeFileAtomic } from '../util/atomic.js';
import { sleep } from '../process/proctable.js';
import type { StepContext } from '../api/context.js';
import { hasKubectl, type Deployer } from '../api/deployer.js';
import type { RunConfig } from './config.js';
import type { RunStepContext } from './step.js';

/** What the kubectl helpers need to know of the run. */
export interface KubectlSite {
  deployer: Deployer;
  kubeRoot: string;
  cfg: Pick<RunConfig, 'checkVersionSkew'>;
}

/** The kubectl site of a running step. */
export const siteOf = (sc: RunStepContext): KubectlSite => ({
  deployer: sc.run.deployer,
  kubeRoot: sc.kubeRoot,
  cfg: sc.run.cfg,
});

/** kubectl for our own checks: the deployer's, else ./cluster/kubectl.sh, else the release's, else PATH. */
export function kubectlArgv(ctx: Pick<KubectlSite, 'deployer' | 'kubeRoot'>): string[] {
  const fromDeployer = hasKubectl(ctx.deployer) ? ctx.deployer.kubectl() : undefined;
  if (fromDeployer) return fromDeployer;
  if (existsSync(join(ctx.kubeRoot, 'cluster', 'kubectl.sh'))) return ['./cluster/kubectl.sh'];
  const rel = findReleaseBinary(ctx.kubeRoot, 'kubectl');
  return [rel ?? 'kubectl'];
}

/** $KUBECTL for child scripts: one string, as kubetest exports it. */
export function kubectlEnvValue(ctx: KubectlSite): string {
  const argv = kubectlArgv(ctx);
  return [...argv, ...(ctx.cfg.checkVersionSkew ? ['--match-server-version'] : [])].join(' ');
}

export function apiReachabilityArgv(ctx: Pick<KubectlSite, 'deployer' | 'kubeRoot'>): string[] {
  return [...kubectlArgv(ctx), '--match-server-version=false', 'version'];
}

export async function checkApiReachability(
  sc: StepContext,
  site: KubectlSite,
  tries = 5,
  pauseMs = 10_000,
): Promise<void> {
  let last: unknown;
  for (let i = 0; i < tries; i++) {
    try {
      await sc.exec(apiReachabilityArgv(site));
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

export async function listNodes(sc: StepContext, site: KubectlSite, dumpDir: string): Promise<void> {
  const r = await sc.exec(listNodesArgv(site), { captureStdout: true });
  writeFileAtomic(join(dumpDir, 'nodes.yaml'), r.stdout);
}

/** kubetest's `list nodes`: never fails on a client/server version skew. */
export function listNodesArgv(ctx: Pick<KubectlSite, 'deployer' | 'kubeRoot'>): string[] {
  return [...kubectlArgv(ctx), '--match-server-version=false', 'get', 'nodes', '-oyaml'];
}

/**
 * kubetest's `kubectl version` step: a reachability check, so a skew never fails it (--check-version-skew
 * governs $KUBECTL for the tests, not this check).
 */
export function kubectlVersionArgv(ctx: Pick<KubectlSite, 'deployer' | 'kubeRoot'>): string[] {
  return [...kubectlArgv(ctx), '--match-server-version=false', 'version'];
}
