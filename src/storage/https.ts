// Read-only HTTP(S): release mirrors, dl.k8s.io, storage.googleapis.com, fake-gcs-server's public host.
import got, { HTTPError, type Got } from 'got';
import { NotFoundError, ReadOnlyError, type ObjectStore, type ReadHandle } from './types.js';

export interface HttpOptions {
  /** Retries for small reads (markers, checksums); downloads retry at a higher level. */
  retries?: number;
  /** Abort a transfer that sends no data for this long. */
  stallMs?: number;
}

export class HttpStore implements ObjectStore {
  readonly scheme = 'https';
  private readonly client: Got;

  constructor(opts: HttpOptions = {}) {
    this.client = got.extend({
      retry: { limit: opts.retries ?? 4, methods: ['GET', 'HEAD'], statusCodes: [408, 429, 500, 502, 503, 504], calculateDelay: ({ attemptCount, computedValue }) => (computedValue === 0 ? 0 : Math.min(250 * 2 ** attemptCount, 4000)) },
      // Our stall watchdog (download.ts) fires first, with its own message.
      timeout: { connect: 10_000, socket: (opts.stallMs ?? 30_000) + 5000 },
      headers: { 'user-agent': 'kubetest-ts' },
      decompress: false,
    });
  }

  async read(url: string, signal?: AbortSignal): Promise<Buffer> {
    try {
      return await this.client.get(url, { signal, responseType: 'buffer' }).buffer();
    } catch (e) {
      if (e instanceof HTTPError && e.response.statusCode === 404) throw new NotFoundError(url, 'HTTP 404');
      throw describe(url, e);
    }
  }

  async openRead(url: string, signal?: AbortSignal): Promise<ReadHandle> {
    const stream = this.client.stream(url, { signal, retry: { limit: 0 } });
    return new Promise((resolve, reject) => {
      stream.once('response', (res: { statusCode: number; headers: Record<string, string | undefined> }) => {
        const len = res.headers['content-length'];
        resolve({ stream, size: len ? Number(len) : undefined });
      });
      stream.once('error', (e: unknown) => {
        if (e instanceof HTTPError && e.response.statusCode === 404) reject(new NotFoundError(url, 'HTTP 404'));
        else reject(describe(url, e));
      });
    });
  }

  async exists(url: string, signal?: AbortSignal): Promise<boolean> {
    try {
      await this.client.head(url, { signal });
      return true;
    } catch (e) {
      if (e instanceof HTTPError && e.response.statusCode === 404) return false;
      throw describe(url, e);
    }
  }

  async write(url: string): Promise<void> {
    throw new ReadOnlyError(`${url}: HTTP(S) locations are read-only; use gs://, s3:// or file://`);
  }

  async uploadFile(url: string): Promise<void> {
    return this.write(url);
  }

  async list(url: string): Promise<string[]> {
    throw new ReadOnlyError(`${url}: cannot list an HTTP(S) location`);
  }
}

function describe(url: string, e: unknown): Error {
  if (e instanceof HTTPError) return new Error(`GET ${url}: HTTP ${e.response.statusCode}`);
  const err = e as Error & { code?: string };
  return new Error(`GET ${url}: ${err.code ?? ''}${err.code ? ' ' : ''}${err.message}`);
}
