// One interface for object storage; the URL scheme picks the backend (gs://, s3://, file://, https://).
import type { Readable } from 'node:stream';

export interface WriteOptions {
  contentType?: string;
  cacheControl?: string;
}

export interface ReadHandle {
  stream: Readable;
  size?: number | undefined;
}

export interface ReadOptions {
  /** Larger objects are refused (TooLargeError): by their announced size, else once that much has arrived. */
  maxBytes?: number;
  /** No data for this long (after the headers too) fails the read. */
  stallMs?: number;
}

/** What `read` buffers at most when the caller sets no limit: it is for small objects. */
export const DEFAULT_READ_MAX_BYTES = 64 << 20;
export const DEFAULT_STALL_MS = 30_000;

export interface ObjectStore {
  readonly scheme: string;
  /** Whole (small) object, bounded in size and time; throws NotFoundError when it does not exist. */
  read(url: string, signal?: AbortSignal, opts?: ReadOptions): Promise<Buffer>;
  openRead(url: string, signal?: AbortSignal): Promise<ReadHandle>;
  exists(url: string, signal?: AbortSignal): Promise<boolean>;
  write(url: string, data: Buffer | string, opts?: WriteOptions): Promise<void>;
  uploadFile(url: string, path: string, opts?: WriteOptions): Promise<void>;
  /** Object URLs under a prefix (recursive). */
  list(prefixUrl: string): Promise<string[]>;
}

export class NotFoundError extends Error {
  override name = 'NotFoundError';
  constructor(
    readonly url: string,
    detail = 'not found',
  ) {
    super(`${url}: ${detail}`);
  }
}

export class TooLargeError extends Error {
  override name = 'TooLargeError';
  constructor(
    readonly url: string,
    readonly maxBytes: number,
  ) {
    super(`${url}: larger than ${maxBytes} bytes, refusing to read it`);
  }
}

export class StallError extends Error {
  override name = 'StallError';
}

export class ReadOnlyError extends Error {
  override name = 'ReadOnlyError';
}

export function splitBucketUrl(url: string): { bucket: string; key: string } {
  const m = /^[a-z0-9]+:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!m) throw new Error(`not a bucket URL: ${url}`);
  return { bucket: m[1]!, key: m[2]! };
}
