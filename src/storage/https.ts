// Read-only HTTP(S): release mirrors, dl.k8s.io, storage.googleapis.com, fake-gcs-server's public host.
// Node's built-in fetch (undici) with p-retry for small reads; big downloads retry at a higher level
// (download.ts), where a stall watchdog also runs.
import { Readable } from 'node:stream';
import pRetry, { AbortError } from 'p-retry';
import { NotFoundError, ReadOnlyError, type ObjectStore, type ReadHandle } from './types.js';

export interface HttpOptions {
  /** Retries for small reads (markers, checksums). */
  retries?: number;
  /** Time to wait for response headers. */
  headersTimeoutMs?: number;
}

const RETRYABLE = new Set([408, 429, 500, 502, 503, 504]);

class HttpStatusError extends Error {
  constructor(readonly url: string, readonly status: number) {
    super(`GET ${url}: HTTP ${status}`);
  }
}

export class HttpStore implements ObjectStore {
  readonly scheme = 'https';
  private readonly retries: number;
  private readonly headersTimeoutMs: number;

  constructor(opts: HttpOptions = {}) {
    this.retries = opts.retries ?? 4;
    this.headersTimeoutMs = opts.headersTimeoutMs ?? 30_000;
  }

  private async get(url: string, method: 'GET' | 'HEAD', signal?: AbortSignal): Promise<Response> {
    const timeout = AbortSignal.timeout(this.headersTimeoutMs);
    let res: Response;
    try {
      res = await fetch(url, { method, signal: signal ? AbortSignal.any([signal, timeout]) : timeout, headers: { 'user-agent': 'kubetest-ts' } });
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      throw new Error(`${method} ${url}: ${err.cause?.code ?? err.name}${err.cause?.message ? ` ${err.cause.message}` : ''}`);
    }
    if (res.status === 404) {
      await res.body?.cancel();
      throw new AbortError(new NotFoundError(url, 'HTTP 404'));
    }
    if (!res.ok) {
      await res.body?.cancel();
      const e = new HttpStatusError(url, res.status);
      throw RETRYABLE.has(res.status) ? e : new AbortError(e);
    }
    return res;
  }

  private retry<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return pRetry(fn, { retries: this.retries, minTimeout: 250, maxTimeout: 4000, factor: 2, ...(signal ? { signal } : {}) });
  }

  async read(url: string, signal?: AbortSignal): Promise<Buffer> {
    return this.retry(async () => Buffer.from(await (await this.get(url, 'GET', signal)).arrayBuffer()), signal);
  }

  async openRead(url: string, signal?: AbortSignal): Promise<ReadHandle> {
    const res = await this.get(url, 'GET', signal).catch((e: unknown) => {
      throw e instanceof AbortError ? e.originalError : e;
    });
    const len = res.headers.get('content-length');
    return { stream: Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), size: len ? Number(len) : undefined };
  }

  async exists(url: string, signal?: AbortSignal): Promise<boolean> {
    try {
      await this.retry(() => this.get(url, 'HEAD', signal), signal);
      return true;
    } catch (e) {
      if (e instanceof NotFoundError) return false;
      throw e;
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
