// Version markers (ci/latest.txt, release/stable-1.36.txt, ...): one line holding a version. Markers and
// checksum files are small: they are read with a size cap and the stall timeout, never buffered unbounded.
import { NotFoundError, storeFor } from '../storage/index.js';

export const VERSION_RE = /^v\d+\.\d+\.\d+[\w.+-]*$/;

/** What a marker or a .sha512/.sha256 file may hold. */
export const SMALL_READ_MAX_BYTES = 4096;

export interface SmallReadOptions {
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal | undefined;
  /** KUBETEST_STALL_TIMEOUT_MS */
  stallMs?: number | undefined;
  /** KUBETEST_DOWNLOAD_RETRIES */
  retries?: number | undefined;
}

/** A small object (marker, checksum): at most 4 KiB, and no data for stallMs fails it. */
export async function readSmall(url: string, o: SmallReadOptions): Promise<Buffer> {
  const store = await storeFor(url, o.env, {
    ...(o.retries !== undefined ? { retries: o.retries } : {}),
    ...(o.stallMs !== undefined ? { stallMs: o.stallMs } : {}),
  });
  return store.read(url, o.signal, {
    maxBytes: SMALL_READ_MAX_BYTES,
    ...(o.stallMs !== undefined ? { stallMs: o.stallMs } : {}),
  });
}

export async function readMarker(url: string, o: SmallReadOptions): Promise<string> {
  let text: string;
  try {
    text = (await readSmall(url, o)).toString('utf8');
  } catch (e) {
    if (e instanceof NotFoundError) throw new Error(`version marker not found: ${url}`);
    throw new Error(`cannot read version marker ${url}: ${(e as Error).message.replace(`${url}: `, '')}`);
  }
  const v = text.trim();
  if (!VERSION_RE.test(v)) {
    throw new Error(`version marker ${url} does not hold a version: ${JSON.stringify(v.slice(0, 60))}`);
  }
  return v;
}
