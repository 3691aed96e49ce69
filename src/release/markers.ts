// Version markers (ci/latest.txt, release/stable-1.36.txt, ...): one line holding a version.
import { NotFoundError, storeFor } from '../storage/index.js';

export const VERSION_RE = /^v\d+\.\d+\.\d+[\w.+-]*$/;

export async function readMarker(url: string, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<string> {
  const store = await storeFor(url, env);
  let text: string;
  try {
    text = (await store.read(url, signal)).toString('utf8');
  } catch (e) {
    if (e instanceof NotFoundError) throw new Error(`version marker not found: ${url}`);
    throw new Error(`cannot read version marker ${url}: ${(e as Error).message}`);
  }
  const v = text.trim();
  if (!VERSION_RE.test(v)) {
    throw new Error(`version marker ${url} does not hold a version: ${JSON.stringify(v.slice(0, 60))}`);
  }
  return v;
}
