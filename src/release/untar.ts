// Streaming, safe untar (node-tar): a tarball that tries to write outside the target dir, plant a
// symlink or hardlink pointing outside it, or create a device file is rejected as a whole.
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import * as tar from 'tar';

export class UnsafeTarballError extends Error {
  override name = 'UnsafeTarballError';
}

export interface UnpackOptions {
  cwd: string;
  strip?: number;
  /** Only entries (path as in the tarball) for which this returns true are extracted. */
  include?: (path: string) => boolean;
  /** For error messages. */
  label: string;
  /** Gunzip on the threadpool (node:zlib) rather than in the tar parser on the main thread. */
  gzip?: boolean;
}

const FORBIDDEN_TYPES = new Set(['CharacterDevice', 'BlockDevice', 'FIFO', 'ContiguousFile']);

/** Returns why an entry is unsafe, or undefined. `path` and `linkpath` are as in the tarball. */
export function unsafeReason(
  path: string,
  type: string,
  linkpath: string | undefined,
  strip: number,
): string | undefined {
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return `absolute path ${JSON.stringify(path)}`;
  const parts = path.split('/');
  if (parts.includes('..')) return `path ${JSON.stringify(path)} leaves the target directory`;
  if (FORBIDDEN_TYPES.has(type)) return `${type} entry ${JSON.stringify(path)}`;
  const stripped = parts.slice(strip).join('/');
  if (type === 'SymbolicLink') {
    if (!linkpath) return `symlink ${JSON.stringify(path)} without a target`;
    if (linkpath.startsWith('/'))
      return `symlink ${JSON.stringify(path)} points to the absolute path ${JSON.stringify(linkpath)}`;
    const target = posix.normalize(posix.join(posix.dirname(stripped), linkpath));
    if (target === '..' || target.startsWith('../'))
      return `symlink ${JSON.stringify(path)} -> ${JSON.stringify(linkpath)} points outside the target directory`;
  }
  if (type === 'Link') {
    if (!linkpath || linkpath.startsWith('/') || linkpath.split('/').includes('..'))
      return `hardlink ${JSON.stringify(path)} -> ${JSON.stringify(linkpath)} points outside the target directory`;
  }
  return undefined;
}

/** Unpacks a (gzipped) tar stream into opts.cwd. Rejects on the first unsafe entry or a corrupt stream. */
export async function safeUnpack(source: Readable, opts: UnpackOptions): Promise<number> {
  const strip = opts.strip ?? 0;
  let files = 0;
  let violation: Error | undefined;
  const unpack = new tar.Unpack({
    cwd: opts.cwd,
    strip,
    strict: true,
    filter: (_path, entry) => {
      if (violation) return false;
      const e = entry as tar.ReadEntry;
      const why = unsafeReason(e.path, e.type, e.linkpath, strip);
      if (why) {
        violation = new UnsafeTarballError(`${opts.label}: refusing to extract: ${why}`);
        unpack.abort(violation);
        return false;
      }
      if (opts.include && !opts.include(e.path)) return false;
      if (e.type === 'File' || e.type === 'OldFile') files++;
      return true;
    },
  });
  try {
    if (opts.gzip) await pipeline(source, createGunzip({ chunkSize: 1 << 20 }), unpack);
    else await pipeline(source, unpack);
  } catch (e) {
    throw violation ?? new Error(`${opts.label}: ${describeTarError(e)}`);
  }
  if (violation) throw violation;
  return files;
}

function describeTarError(e: unknown): string {
  const err = e as Error & { code?: string };
  if (err.code === 'Z_BUF_ERROR' || err.code === 'TAR_BAD_ARCHIVE' || /unexpected end|truncated/i.test(err.message)) {
    return `truncated or corrupt tarball (${err.message})`;
  }
  return err.message;
}
