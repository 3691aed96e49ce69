// --save (../shared/reference/kubetest.md §10): after --up, keep the kubeconfig and the release so that a later run
// with --extract and without --up can reach the same cluster with the same binaries.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { StepFailure } from '../process/errors.js';
import { writeFileAtomic } from '../util/atomic.js';
import { hasKubeconfig } from '../api/deployer.js';
import type { RunStepContext } from '../run/step.js';
import { joinUrl, NotFoundError, storeFor } from '../storage/index.js';

export async function runSave(sc: RunStepContext): Promise<void> {
  const base = sc.run.cfg.save;
  const env = sc.env;
  const { deployer } = sc.run;
  const kubeconfig =
    (hasKubeconfig(deployer) ? deployer.kubeconfigPath() : undefined) ??
    ((env['KUBECONFIG'] ?? '').split(':')[0] || join(env['HOME'] ?? homedir(), '.kube', 'config'));
  if (!existsSync(kubeconfig)) throw new StepFailure(`--save: no kubeconfig at ${kubeconfig}`);
  const store = await storeFor(base, env);
  await store.write(joinUrl(base, 'kube-config'), readFileSync(kubeconfig));
  await store.write(joinUrl(base, 'release-url.txt'), env['KUBERNETES_RELEASE_URL'] ?? '', {
    contentType: 'text/plain',
  });
  await store.write(joinUrl(base, 'release.txt'), env['KUBERNETES_RELEASE'] ?? '', { contentType: 'text/plain' });
  sc.log(`saved kubeconfig and release to ${base}`);
}

/** Load side: the saved kubeconfig goes to the run dir (not over ~/.kube/config) and becomes $KUBECONFIG. */
export async function loadSavedRelease(
  sc: RunStepContext,
  base: string,
): Promise<{ releaseUrl: string; version: string; kubeconfig: string }> {
  const store = await storeFor(base, sc.env);
  try {
    const kc = await store.read(joinUrl(base, 'kube-config'));
    const path = join(sc.runDir, 'saved-kubeconfig');
    writeFileAtomic(path, kc, 0o600);
    const releaseUrl = (await store.read(joinUrl(base, 'release-url.txt'))).toString('utf8').trim();
    const version = (await store.read(joinUrl(base, 'release.txt'))).toString('utf8').trim();
    if (!releaseUrl || !version)
      throw new StepFailure(`--save: ${base} holds no release (release-url.txt / release.txt are empty)`);
    return { releaseUrl, version, kubeconfig: path };
  } catch (e) {
    if (e instanceof NotFoundError) throw new StepFailure(`--save: nothing saved at ${base} (${e.message})`);
    throw e;
  }
}
