// gs:// with @google-cloud/storage (v7: Node 20). An endpoint override (KUBETEST_GCS_ENDPOINT, or the
// library's own STORAGE_EMULATOR_HOST) points it at an emulator such as fake-gcs-server.
import { Storage } from '@google-cloud/storage';
import { collect } from './bounded.js';
import {
  NotFoundError,
  StallError,
  TooLargeError,
  splitBucketUrl,
  type ObjectStore,
  type ReadHandle,
  type ReadOptions,
  type WriteOptions,
} from './types.js';

export class GcsStore implements ObjectStore {
  readonly scheme = 'gs';
  private readonly storage: Storage;

  constructor(env: NodeJS.ProcessEnv) {
    const endpoint = (env['KUBETEST_GCS_ENDPOINT'] || env['STORAGE_EMULATOR_HOST'] || '')
      .replace(/\/+$/, '')
      .replace(/\/storage\/v1$/, '');
    if (endpoint) {
      this.storage = new Storage({ apiEndpoint: endpoint, projectId: env['PROJECT'] || 'kubetest' });
      // The library takes STORAGE_EMULATOR_HOST verbatim as its JSON API base, which breaks "http://host:port".
      (this.storage as unknown as { baseUrl: string }).baseUrl = `${endpoint}/storage/v1`;
    } else {
      this.storage = new Storage();
    }
  }

  private file(url: string) {
    const { bucket, key } = splitBucketUrl(url);
    return this.storage.bucket(bucket).file(key);
  }

  async read(url: string, _signal?: AbortSignal, opts?: ReadOptions): Promise<Buffer> {
    try {
      return await collect(await this.openRead(url), url, opts);
    } catch (e) {
      if (e instanceof TooLargeError || e instanceof StallError || e instanceof NotFoundError) throw e;
      throw translate(url, e);
    }
  }

  async openRead(url: string): Promise<ReadHandle> {
    const f = this.file(url);
    let size: number | undefined;
    try {
      const [meta] = await f.getMetadata();
      size = meta.size !== undefined ? Number(meta.size) : undefined;
    } catch (e) {
      throw translate(url, e);
    }
    return { stream: f.createReadStream({ validation: false }), size };
  }

  async exists(url: string): Promise<boolean> {
    const [ok] = await this.file(url).exists();
    return ok;
  }

  async write(url: string, data: Buffer | string, opts: WriteOptions = {}): Promise<void> {
    await this.file(url).save(typeof data === 'string' ? Buffer.from(data) : data, {
      resumable: false,
      contentType: opts.contentType ?? 'application/octet-stream',
      metadata: opts.cacheControl ? { cacheControl: opts.cacheControl } : undefined,
    });
  }

  async uploadFile(url: string, path: string, opts: WriteOptions = {}): Promise<void> {
    const { bucket, key } = splitBucketUrl(url);
    await this.storage.bucket(bucket).upload(path, {
      destination: key,
      resumable: false,
      contentType: opts.contentType ?? 'application/octet-stream',
      metadata: opts.cacheControl ? { cacheControl: opts.cacheControl } : undefined,
    });
  }

  async list(prefixUrl: string): Promise<string[]> {
    const { bucket, key } = splitBucketUrl(prefixUrl);
    const [files] = await this.storage.bucket(bucket).getFiles({ prefix: key });
    return files.map((f) => `gs://${bucket}/${f.name}`).sort();
  }
}

function translate(url: string, e: unknown): Error {
  const code = (e as { code?: number }).code;
  if (code === 404) return new NotFoundError(url);
  return new Error(`${url}: ${(e as Error).message}`);
}
