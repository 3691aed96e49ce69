// --publish: after a fully successful run, write the tested version to the given marker, once.
import { jobVersion } from '../run/context.js';
import type { RunStepContext } from '../run/step.js';
import { storeFor } from '../storage/index.js';

export async function runPublish(sc: RunStepContext): Promise<void> {
  const url = sc.run.cfg.publish;
  const version = jobVersion({ ...sc.run, kubeRoot: sc.kubeRoot, env: sc.env });
  if (version === 'unknown')
    throw new Error('--publish: the tested version is unknown (no ./version and nothing extracted)');
  const store = await storeFor(url, sc.env);
  await store.write(url, version, { contentType: 'text/plain', cacheControl: 'private, max-age=0, no-transform' });
  sc.log(`published ${version} to ${url}`);
}
