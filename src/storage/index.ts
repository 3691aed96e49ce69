import { FileStore } from './file.js';
import type { ObjectStore } from './types.js';

export * from './types.js';

export interface StoreOptions {
  /** Retries of small reads where the backend retries itself (HTTP). */
  retries?: number;
  /** No data (or no response) for this long fails a read. */
  stallMs?: number;
}

/** Picks the backend for a URL; each loads its client library only when used. */
export async function storeFor(url: string, env: NodeJS.ProcessEnv, o: StoreOptions = {}): Promise<ObjectStore> {
  if (url.startsWith('gs://')) return new (await import('./gcs.js')).GcsStore(env);
  if (url.startsWith('s3://')) return new (await import('./s3.js')).S3Store(env);
  if (url.startsWith('file://') || url.startsWith('/')) return new FileStore();
  if (/^https?:\/\//.test(url))
    return new (await import('./https.js')).HttpStore({
      ...(o.retries !== undefined ? { retries: o.retries } : {}),
      ...(o.stallMs !== undefined ? { headersTimeoutMs: o.stallMs } : {}),
    });
  throw new Error(`unsupported storage URL: ${url} (use gs://, s3://, file:// or https://)`);
}

export { joinUrl } from '../util/urls.js';
