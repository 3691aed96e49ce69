// Read-only HTTP(S): release mirrors, dl.k8s.io, storage.googleapis.com, fake-gcs-server's public host.
// node:http(s) (no client to initialise: a warm extract does a handful of these reads) with p-retry for
// small reads; big downloads retry at a higher level (download.ts), where a stall watchdog also runs.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import pRetry, { AbortError } from 'p-retry';
import { collect, formatMs } from './bounded.js';
import {
  DEFAULT_STALL_MS,
  NotFoundError,
  ReadOnlyError,
  TooLargeError,
  type ObjectStore,
  type ReadHandle,
  type ReadOptions,
} from './types.js';

export interface HttpOptions {
  /** Retries for small reads (markers, checksums). */
  retries?: number;
  /** Time to wait for the response headers (KUBETEST_STALL_TIMEOUT_MS). */
  headersTimeoutMs?: number;
}

const RETRYABLE = new Set([408, 429, 500, 502, 503, 504]);
const REDIRECT = new Set([301, 302, 303, 307, 308]);

export class HttpStatusError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
  ) {
    super(`GET ${url}: HTTP ${status}`);
  }
}

function open(
  url: string,
  method: 'GET' | 'HEAD',
  timeoutMs: number,
  signal?: AbortSignal,
  hops = 0,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(
      u,
      { method, signal, headers: { 'user-agent': 'kubetest-ts' } },
      (res) => {
        req.setTimeout(0);
        const status = res.statusCode ?? 0;
        if (REDIRECT.has(status) && res.headers.location && hops < 5) {
          res.resume();
          resolve(open(new URL(res.headers.location, url).href, method, timeoutMs, signal, hops + 1));
          return;
        }
        if (status === 404) {
          res.resume();
          reject(new AbortError(new NotFoundError(url, 'HTTP 404')));
          return;
        }
        if (status < 200 || status >= 300) {
          res.resume();
          const e = new HttpStatusError(url, status);
          reject(RETRYABLE.has(status) ? e : new AbortError(e));
          return;
        }
        resolve(res);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no response within ${formatMs(timeoutMs)}`)));
    req.on('error', (e: Error & { code?: string }) =>
      reject(new Error(`${method} ${url}: ${e.code ?? ''}${e.code ? ' ' : ''}${e.message}`)),
    );
    req.end();
  });
}

const unwrap = (e: unknown): unknown => (e instanceof AbortError ? e.originalError : e);

export class HttpStore implements ObjectStore {
  readonly scheme = 'https';
  private readonly retries: number;
  private readonly headersTimeoutMs: number;

  constructor(opts: HttpOptions = {}) {
    this.retries = opts.retries ?? 4;
    this.headersTimeoutMs = opts.headersTimeoutMs ?? DEFAULT_STALL_MS;
  }

  private retry<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return pRetry(fn, {
      retries: this.retries,
      minTimeout: 250,
      maxTimeout: 4000,
      factor: 2,
      ...(signal ? { signal } : {}),
    });
  }

  async read(url: string, signal?: AbortSignal, opts: ReadOptions = {}): Promise<Buffer> {
    return this.retry(async () => {
      const res = await open(url, 'GET', this.headersTimeoutMs, signal);
      const len = res.headers['content-length'];
      try {
        return await collect({ stream: res, size: len ? Number(len) : undefined }, url, {
          stallMs: this.headersTimeoutMs,
          ...opts,
        });
      } catch (e) {
        // Too large stays too large; a stall or a reset may not.
        throw e instanceof TooLargeError ? new AbortError(e) : e;
      }
    }, signal);
  }

  async openRead(url: string, signal?: AbortSignal): Promise<ReadHandle> {
    try {
      const res = await open(url, 'GET', this.headersTimeoutMs, signal);
      const len = res.headers['content-length'];
      return { stream: res, size: len ? Number(len) : undefined };
    } catch (e) {
      throw unwrap(e);
    }
  }

  async exists(url: string, signal?: AbortSignal): Promise<boolean> {
    try {
      (await this.retry(() => open(url, 'HEAD', this.headersTimeoutMs, signal), signal)).resume();
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
