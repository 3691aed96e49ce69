// Download → verify → cache → unpack, in one streaming pass per file, several files in parallel.
// Each file is teed to a hasher, the download cache and its unpackers; the published .sha512 (or .sha256)
// must match or the whole extract fails. A cached download is reused when its digest still matches.
import { createHash } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Transform, Writable, type Readable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { NotFoundError, storeFor } from '../storage/index.js';
import { UnsafeTarballError, type ExtractRoot } from './untar.js';
import { NotRetryable, publishedChecksum, type Expected } from './checksums.js';
import { touch } from './cache-gc.js';
import { writeFileAtomic } from '../util/atomic.js';

export interface UnpackTarget {
  dir: string;
  strip: number;
  /** Symlinks in the archive must resolve inside this dir (default: dir). */
  linkRoot?: string;
  include?: (path: string) => boolean;
}

export interface FetchSpec {
  name: string;
  url: string;
  required: boolean;
  unpack: UnpackTarget[];
  /** The published checksum when already looked up (null: none published). */
  expected?: Expected | null;
  /** False when an optional file is known not to exist (looked up with the checksums). */
  exists?: boolean;
}

export interface FetchOptions {
  cacheDir: string;
  /** Where every tarball of this extract unpacks, with the caps they share. */
  root: ExtractRoot;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal | undefined;
  concurrency?: number;
  retries?: number;
  stallMs?: number;
  /** Delay before retry n (1-based). */
  backoffMs?: (attempt: number) => number;
  onProgress?: (name: string, bytes: number, total: number | undefined) => void;
  log?: (msg: string) => void;
}

export interface FetchResult {
  name: string;
  url: string;
  present: boolean;
  sha512?: string;
  verified: 'sha512' | 'sha256' | 'none';
  fromCache: boolean;
  bytes: number;
  blob?: string;
}

export class ChecksumMismatchError extends Error {
  override name = 'ChecksumMismatchError';
}

/** Content-addressed when the checksum is published (the same release from any mirror is one entry). */
function cachePaths(cacheDir: string, url: string, expected: Expected | undefined) {
  const key = expected
    ? `${expected.algo}-${expected.hex.slice(0, 40)}`
    : createHash('sha256').update(url).digest('hex').slice(0, 32);
  const dir = join(cacheDir, 'downloads', key);
  return { dir, blob: join(dir, 'blob'), meta: join(dir, 'meta.json') };
}

interface Meta {
  url: string;
  sha512: string;
  sha256?: string | undefined;
  size: number;
}

function stallWatchdog(ms: number, label: string): Transform {
  let timer: NodeJS.Timeout | undefined;
  const t: Transform = new Transform({
    transform(chunk, _enc, cb) {
      arm();
      cb(null, chunk);
    },
    flush(cb) {
      if (timer) clearTimeout(timer);
      cb();
    },
    destroy(err, cb) {
      if (timer) clearTimeout(timer);
      cb(err);
    },
  });
  const arm = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(
      () => t.destroy(new Error(`${label}: transfer stalled (no data for ${Math.round(ms / 1000)}s)`)),
      ms,
    );
  };
  arm();
  return t;
}

/** A writable that forwards each chunk to every destination and waits for all of them (backpressure). */
function fanOut(dests: Writable[]): Writable {
  return new Writable({
    highWaterMark: 1 << 20,
    write(chunk, _enc, cb) {
      let pending = dests.length;
      let failed = false;
      const done = (err?: Error | null) => {
        if (failed) return;
        if (err) {
          failed = true;
          cb(err);
          return;
        }
        if (--pending === 0) cb();
      };
      for (const d of dests) {
        if (d.destroyed) {
          done(new Error('destination closed'));
          continue;
        }
        // A consumer can fail (and destroy its input) while we write to it: then no 'drain' ever comes.
        if (d.write(chunk) && !d.destroyed) {
          done();
          continue;
        }
        if (d.destroyed) {
          done(new Error('destination closed'));
          continue;
        }
        const onDrain = () => {
          d.off('close', onClose);
          done();
        };
        const onClose = () => {
          d.off('drain', onDrain);
          done(new Error('destination closed'));
        };
        d.once('drain', onDrain);
        d.once('close', onClose);
      }
    },
    final(cb) {
      for (const d of dests) d.end();
      cb();
    },
  });
}

type Verify = (d: { sha512: string; sha256?: string | undefined }) => void;

async function transferOnce(
  spec: FetchSpec,
  o: FetchOptions,
  source: Readable,
  size: number | undefined,
  tmpBlob: string | undefined,
  verify: Verify,
  want256: boolean,
): Promise<{ sha512: string; sha256?: string | undefined; bytes: number }> {
  const h512 = createHash('sha512');
  // sha256 only when that is what the server publishes (hashing runs on the main thread).
  const h256 = want256 ? createHash('sha256') : undefined;
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _e, cb) {
      h512.update(chunk);
      h256?.update(chunk);
      bytes += chunk.length;
      o.onProgress?.(spec.name, bytes, size);
      cb(null, chunk);
    },
  });
  const unpackers = spec.unpack.map(() => new PassThrough({ highWaterMark: 1 << 20 }));
  const dests: Writable[] = [...unpackers];
  let blobStream: Writable | undefined;
  if (tmpBlob) {
    blobStream = createWriteStream(tmpBlob);
    dests.push(blobStream);
  }
  const unpacking = spec.unpack.map((u, i) =>
    o.root.unpack(unpackers[i]!, {
      cwd: u.dir,
      strip: u.strip,
      ...(u.linkRoot ? { linkRoot: u.linkRoot } : {}),
      include: u.include,
      label: spec.name,
      gzip: /\.t?gz$/.test(spec.name),
    }),
  );
  // The first unpacker to fail stops the whole transfer.
  for (const p of unpacking) p.catch((e: Error) => source.destroy(e));
  const blobDone = blobStream ? finished(blobStream) : Promise.resolve();
  const onAbort = () => source.destroy(o.signal?.reason instanceof Error ? o.signal.reason : new Error('aborted'));
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const streaming = pipeline(source, stallWatchdog(o.stallMs ?? 30_000, spec.name), counter, fanOut(dests));
    // If the transfer dies, so do the destinations (otherwise their promises never settle).
    streaming.catch((e: Error) => {
      for (const d of dests) d.destroy(e);
    });
    const results = await Promise.allSettled([streaming, ...unpacking, blobDone]);
    const failure = results.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
    if (failure) {
      for (const u of unpackers) u.destroy();
      const unsafe = results.find((r) => r.status === 'rejected' && r.reason instanceof UnsafeTarballError) as
        PromiseRejectedResult | undefined;
      if (unsafe) throw new NotRetryable((unsafe.reason as Error).message);
      // Every byte arrived but the archive is bad: downloading it again will not help.
      const complete = results[0]!.status === 'fulfilled' && (size === undefined || bytes === size);
      if (complete) {
        verify({ sha512: h512.digest('hex'), sha256: h256?.digest('hex') });
        throw new NotRetryable((failure.reason as Error).message);
      }
      throw failure.reason;
    }
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
  }
  if (size !== undefined && bytes !== size)
    throw new Error(`${spec.name}: got ${bytes} of ${size} bytes (truncated transfer)`);
  const d = { sha512: h512.digest('hex'), sha256: h256?.digest('hex'), bytes };
  verify(d);
  return d;
}

async function fetchOne(spec: FetchSpec, o: FetchOptions): Promise<FetchResult> {
  if (spec.exists === false)
    return { name: spec.name, url: spec.url, present: false, verified: 'none', fromCache: false, bytes: 0 };
  const store = await storeFor(spec.url, o.env);
  const expected = spec.expected === undefined ? await publishedChecksum(spec.url, o) : (spec.expected ?? undefined);
  const cp = cachePaths(o.cacheDir, spec.url, expected);
  const verify: Verify = (d) => {
    if (!expected) return;
    const got = expected.algo === 'sha512' ? d.sha512 : d.sha256;
    if (got !== expected.hex) {
      throw new ChecksumMismatchError(
        `${spec.name}: ${expected.algo} mismatch: published ${expected.hex.slice(0, 16)}…, downloaded ` +
          `${(got ?? '').slice(0, 16)}… (${spec.url})`,
      );
    }
  };
  const base = { name: spec.name, url: spec.url, present: true, verified: expected?.algo ?? ('none' as const) };

  // Warm cache: the digest we recorded still matches what is published.
  if (existsSync(cp.meta) && existsSync(cp.blob)) {
    const meta = JSON.parse(readFileSync(cp.meta, 'utf8')) as Meta;
    const same = !expected || (expected.algo === 'sha512' ? meta.sha512 : meta.sha256) === expected.hex;
    if (same && statSync(cp.blob).size === meta.size) {
      touch(cp.meta);
      const d = await transferOnce(
        spec,
        o,
        createReadStream(cp.blob, { highWaterMark: 1 << 20 }),
        meta.size,
        undefined,
        verify,
        expected?.algo === 'sha256',
      );
      return { ...base, sha512: d.sha512, fromCache: true, bytes: d.bytes, blob: cp.blob };
    }
  }

  const attempts = (o.retries ?? 4) + 1;
  let lastErr: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (o.signal?.aborted) throw o.signal.reason;
    let handle;
    try {
      handle = await store.openRead(spec.url, o.signal);
    } catch (e) {
      if (e instanceof NotFoundError) {
        if (!spec.required) return { ...base, present: false, verified: 'none', fromCache: false, bytes: 0 };
        throw new NotRetryable(`${spec.name}: not found at ${spec.url}`);
      }
      lastErr = e;
      await backoff(attempt, attempts, o, spec, e);
      continue;
    }
    mkdirSync(cp.dir, { recursive: true });
    const tmp = `${cp.blob}.tmp-${process.pid}-${attempt}`;
    try {
      const d = await transferOnce(spec, o, handle.stream, handle.size, tmp, verify, expected?.algo === 'sha256');
      renameSync(tmp, cp.blob);
      writeFileAtomic(
        cp.meta,
        JSON.stringify({ url: spec.url, sha512: d.sha512, sha256: d.sha256, size: d.bytes } satisfies Meta),
      );
      return { ...base, sha512: d.sha512, fromCache: false, bytes: d.bytes, blob: cp.blob };
    } catch (e) {
      rmSync(tmp, { force: true });
      if (e instanceof NotRetryable || e instanceof ChecksumMismatchError || o.signal?.aborted) throw e;
      lastErr = e;
      await backoff(attempt, attempts, o, spec, e);
    }
  }
  throw new Error(
    `${spec.name}: download failed after ${attempts} attempts: ${(lastErr as Error)?.message ?? lastErr}`,
  );
}

async function backoff(attempt: number, attempts: number, o: FetchOptions, spec: FetchSpec, e: unknown): Promise<void> {
  if (attempt >= attempts) return;
  const ms = o.backoffMs ? o.backoffMs(attempt) : Math.min(1000 * 2 ** (attempt - 1), 8000);
  o.log?.(
    `${spec.name}: ${(e as Error).message}; retrying in ${(ms / 1000).toFixed(1)}s (attempt ` +
      `${attempt + 1}/${attempts})`,
  );
  await new Promise((r) => setTimeout(r, ms));
}

/** Fetches every spec (bounded parallelism). The first failure cancels the others and is rethrown. */
export async function fetchAll(specs: FetchSpec[], o: FetchOptions): Promise<FetchResult[]> {
  const ctl = new AbortController();
  setMaxListeners(256, ctl.signal);
  const parent = o.signal;
  const onParent = () => ctl.abort(parent!.reason);
  parent?.addEventListener('abort', onParent, { once: true });
  const opts = { ...o, signal: ctl.signal };
  const results: FetchResult[] = new Array(specs.length);
  let next = 0;
  let firstError: unknown;
  const worker = async () => {
    while (next < specs.length && firstError === undefined) {
      const i = next++;
      try {
        results[i] = await fetchOne(specs[i]!, opts);
      } catch (e) {
        if (firstError === undefined) {
          firstError = e instanceof NotRetryable ? new Error(e.message) : e;
          ctl.abort(new Error('cancelled'));
        }
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(o.concurrency ?? 3, specs.length) }, worker));
  } finally {
    parent?.removeEventListener('abort', onParent);
  }
  if (firstError !== undefined) throw parent?.aborted ? parent.reason : firstError;
  return results;
}
