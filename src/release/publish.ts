// --publish: after a fully successful run, write the tested version to the given marker, once.
import { str } from '../cli/config.js';
import { jobVersion } from '../run/context.js';
import type { StepContext } from '../run/step.js';
import { storeFor } from '../storage/index.js';

export async function runPublish(sc: StepContext): Promise<void> {
  const url = str(sc.run.cfg, 'publish');
  const version = jobVersion(sc.run);
  if (version === 'unknown')
    throw new Error('--publish: the tested version is unknown (no ./version and nothing extracted)');
  const store = await storeFor(url, sc.run.env);
  await store.write(url, version, { contentType: 'text/plain', cacheControl: 'private, max-age=0, no-transform' });
  sc.log(`published ${version} to ${url}`);
}
