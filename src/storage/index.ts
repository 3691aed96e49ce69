import { FileStore } from './file.js';
import type { ObjectStore } from './types.js';

export * from './types.js';

/** Picks the backend for a URL; each loads its client library only when used. */
export async function storeFor(url: string, env: NodeJS.ProcessEnv): Promise<ObjectStore> {
  if (url.startsWith('gs://')) return new (await import('./gcs.js')).GcsStore(env);
  if (url.startsWith('s3://')) return new (await import('./s3.js')).S3Store(env);
  if (url.startsWith('file://') || url.startsWith('/')) return new FileStore();
  if (/^https?:\/\//.test(url)) return new (await import('./https.js')).HttpStore();
  throw new Error(`unsupported storage URL: ${url} (use gs://, s3://, file:// or https://)`);
}

export function joinUrl(base: string, ...parts: string[]): string {
  return [base.replace(/\/+$/, ''), ...parts.map((p) => p.replace(/^\/+|\/+$/g, ''))].join('/');
}
