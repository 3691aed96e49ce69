// Streaming, safe untar. node-tar only parses; every write is ours, under ONE root shared by all the tarballs
// of an extract (ExtractRoot): each path is walked component by component with lstat (a symlink or a
// non-directory on the way is refused, so no link an archive created is ever followed), files are created
// with O_EXCL|O_NOFOLLOW, a directory is never replaced, symlinks must resolve inside their tree (following
// the links already on disk, textually), special files are refused, setuid/setgid/sticky and group/world
// write bits are dropped, and the whole extract is capped: total bytes, expansion ratio of each tarball,
// number of entries. Walk + open run synchronously, so another tarball's entry cannot change the tree between.
import {
  closeSync,
  constants,
  fchmodSync,
  futimesSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  symlinkSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { Transform, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import * as tar from 'tar';

export class UnsafeTarballError extends Error {
  override name = 'UnsafeTarballError';
}

export interface ExtractLimits {
  /** Bytes all the tarballs of one extract may write (KUBETEST_EXTRACT_MAX_BYTES). */
  maxBytes: number;
  /** Expanded/compressed size of one gzipped tarball. */
  maxRatio: number;
  /** Entries all the tarballs of one extract may hold. */
  maxEntries: number;
}

export const DEFAULT_LIMITS: ExtractLimits = { maxBytes: 8 * 2 ** 30, maxRatio: 100, maxEntries: 1_000_000 };

/** Below this, the ratio is not checked: a small tar is mostly zero padding, which compresses ~1000×. */
const RATIO_FLOOR = 1 << 20;
/** Symlinks followed while resolving one link target (Linux's MAXSYMLINKS). */
const MAX_HOPS = 40;

export interface UnpackOptions {
  /** Where the entries go; inside the root. */
  cwd: string;
  strip?: number;
  /** Symlinks must resolve inside this dir (default: cwd); it must contain their location. */
  linkRoot?: string;
  /** Only entries (path as in the tarball) for which this returns true are extracted. */
  include?: (path: string) => boolean;
  /** For error messages. */
  label: string;
  /** Gunzip on the threadpool (node:zlib) rather than in the tar parser on the main thread. */
  gzip?: boolean;
}

/** A name for an error message: quoted, and cut (a pax header can make a path a megabyte long). */
const q = (s: string): string => JSON.stringify(s.length > 200 ? `${s.slice(0, 200)}…` : s);

function lstatOrUndefined(p: string): Stats | undefined {
  try {
    return lstatSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined; // nothing there (or a file on the way)
    throw e;
  }
}

/** Splits an archive path into components; refuses absolute paths, `..` and NUL. */
function components(path: string, what: string): string[] | string {
  if (path.includes('\0')) return `${what} ${q(path)} holds a NUL byte`;
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.startsWith('\\')) return `absolute path ${q(path)}`;
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) return `path ${q(path)} leaves the target directory`;
  return parts;
}

const WRITABLE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory', 'SymbolicLink', 'Link']);

/** The one directory every tarball of an extract unpacks under, and the caps they share. */
export class ExtractRoot {
  /** The root as given (paths passed in are built from it) and as the filesystem resolves it. */
  private readonly given: string;
  private readonly real: string;
  bytes = 0;
  entries = 0;

  constructor(
    root: string,
    readonly limits: ExtractLimits = DEFAULT_LIMITS,
  ) {
    mkdirSync(root, { recursive: true });
    this.given = root;
    this.real = realpathSync(root);
  }

  /** `dir` (under the root) as components relative to it. */
  parts(dir: string): string[] {
    const rel = relative(this.given, dir);
    if (rel === '') return [];
    if (rel.startsWith('..') || isAbsolute(rel)) throw new Error(`${dir} is not inside the extract root ${this.given}`);
    return rel.split(sep);
  }

  private abs(parts: readonly string[]): string {
    return join(this.real, ...parts);
  }

  /**
   * Walks `parts` from the root with lstat, creating missing directories when `create`; every component must
   * be a real directory (never a symlink). Returns the absolute path, or undefined when a part is missing.
   */
  private walkDir(parts: readonly string[], create: boolean, what: string): string | undefined {
    let cur = this.real;
    for (const [i, name] of parts.entries()) {
      cur = join(cur, name);
      const st = lstatOrUndefined(cur);
      if (!st) {
        if (!create) return undefined;
        mkdirSync(cur, { mode: 0o755 });
        continue;
      }
      if (st.isSymbolicLink())
        throw new UnsafeTarballError(`${what} goes through the symlink ${q(parts.slice(0, i + 1).join('/'))}`);
      if (!st.isDirectory())
        throw new UnsafeTarballError(`${what} goes through ${q(parts.slice(0, i + 1).join('/'))}, not a directory`);
    }
    return cur;
  }

  /**
   * Resolves symlink text `target` found in dir `from` the way the kernel would, but on paths only: links
   * already on disk under the root are read and followed. Undefined when it leaves `bound` (a prefix of
   * components) at any point, is absolute, or loops.
   */
  private resolve(from: readonly string[], target: string, bound: number, hops = { n: 0 }): string[] | undefined {
    if (target === '' || target.startsWith('/')) return undefined;
    let cur = [...from];
    for (const c of target.split('/')) {
      if (c === '' || c === '.') continue;
      if (c === '..') {
        if (cur.length <= bound) return undefined;
        cur.pop();
        continue;
      }
      cur.push(c);
      const st = lstatOrUndefined(this.abs(cur));
      if (st?.isSymbolicLink()) {
        if (++hops.n > MAX_HOPS) return undefined;
        const text = readlinkSync(this.abs(cur));
        cur.pop();
        const r = this.resolve(cur, text, bound, hops);
        if (!r) return undefined;
        cur = r;
      }
    }
    return cur;
  }

  /** Why a symlink at `at` (components) with text `target` is unsafe, or undefined. */
  private linkEscapes(at: readonly string[], target: string, linkRoot: readonly string[]): boolean {
    const inside = at.length > linkRoot.length && linkRoot.every((p, i) => at[i] === p);
    return !inside || this.resolve(at.slice(0, -1), target, linkRoot.length) === undefined;
  }

  /** Makes room for a new entry at `p`: a file or link there is replaced, a directory never is. */
  private clear(p: string, entry: string): void {
    const st = lstatOrUndefined(p);
    if (!st) return;
    if (st.isDirectory()) throw new UnsafeTarballError(`${q(entry)} would replace the directory there`);
    unlinkSync(p);
  }

  private countEntry(): void {
    if (++this.entries > this.limits.maxEntries)
      throw new UnsafeTarballError(`the release holds more than ${this.limits.maxEntries} entries`);
  }

  private countBytes(n: number): void {
    this.bytes += n;
    if (this.bytes > this.limits.maxBytes)
      throw new UnsafeTarballError(
        `the release expands to more than ${this.limits.maxBytes} bytes (KUBETEST_EXTRACT_MAX_BYTES)`,
      );
  }

  /** Unpacks a (gzipped) tar stream. Rejects on the first unsafe entry, a cap, or a corrupt stream. */
  async unpack(source: Readable, opts: UnpackOptions): Promise<number> {
    const strip = opts.strip ?? 0;
    const base = this.parts(opts.cwd);
    const linkRoot = this.parts(opts.linkRoot ?? opts.cwd);
    this.walkDir(base, true, q(opts.cwd));
    let files = 0;
    // Set from event handlers: an object, so that the checks below are not narrowed away.
    const st: { failure?: Error; fd?: number } = {};
    const parser = new tar.Parser({ strict: true });
    const closeFd = () => {
      if (st.fd !== undefined) closeSync(st.fd);
      st.fd = undefined;
    };
    const fail = (e: unknown) => {
      if (st.failure) return;
      st.failure = e instanceof UnsafeTarballError ? e : new Error(describeTarError(e));
      closeFd();
      parser.abort(st.failure);
    };

    const onEntry = (e: tar.ReadEntry) => {
      if (st.failure) return void e.resume();
      this.countEntry();
      const type = e.type as string;
      const parts = components(e.path, 'path');
      if (typeof parts === 'string') throw new UnsafeTarballError(parts);
      if (type === 'CharacterDevice' || type === 'BlockDevice' || type === 'FIFO')
        throw new UnsafeTarballError(`${type} entry ${q(e.path)}`);
      if (!WRITABLE_TYPES.has(type)) throw new UnsafeTarballError(`unsupported entry type ${type} (${q(e.path)})`);
      if ((opts.include && !opts.include(e.path)) || parts.length <= strip) return void e.resume();
      const at = [...base, ...parts.slice(strip)];
      const what = q(e.path);
      const name = at[at.length - 1]!;
      const mode = (e.mode ?? 0o644) & 0o755; // no setuid, setgid or sticky bit; no group or world write
      if (type === 'Directory') {
        const p = this.walkDir(at.slice(0, -1), true, what)!;
        const there = lstatOrUndefined(join(p, name));
        if (!there) mkdirSync(join(p, name), { mode: mode | 0o700 });
        else if (!there.isDirectory()) throw new UnsafeTarballError(`directory ${what} would replace a file or link`);
        return void e.resume();
      }
      if (type === 'SymbolicLink') {
        const target = e.linkpath ?? '';
        if (target === '') throw new UnsafeTarballError(`symlink ${what} without a target`);
        if (target.startsWith('/'))
          throw new UnsafeTarballError(`symlink ${what} points to the absolute path ${q(target)}`);
        this.walkDir(at.slice(0, -1), false, what); // no link on the way: resolution starts from real dirs
        if (this.linkEscapes(at, target, linkRoot))
          throw new UnsafeTarballError(`symlink ${what} -> ${q(target)} points outside the target directory`);
        const p = join(this.walkDir(at.slice(0, -1), true, what)!, name);
        this.clear(p, e.path);
        symlinkSync(target, p);
        return void e.resume();
      }
      if (type === 'Link') {
        const lp = components(e.linkpath ?? '', 'hardlink target');
        const bad = `hardlink ${what} -> ${q(e.linkpath ?? '')} points outside the target directory`;
        if (typeof lp === 'string' || lp.length <= strip) throw new UnsafeTarballError(bad);
        const target = [...base, ...lp.slice(strip)];
        const dir = this.walkDir(target.slice(0, -1), false, `hardlink target ${q(e.linkpath ?? '')}`);
        const src = dir && join(dir, target[target.length - 1]!);
        if (!src || !lstatOrUndefined(src)?.isFile()) throw new UnsafeTarballError(`${bad} (or to no file)`);
        const p = join(this.walkDir(at.slice(0, -1), true, what)!, name);
        this.clear(p, e.path);
        linkSync(src, p);
        files++;
        return void e.resume();
      }
      // A regular file: counted before a byte is written, created exclusively, never through a link.
      this.countBytes(e.size);
      const p = join(this.walkDir(at.slice(0, -1), true, what)!, name);
      this.clear(p, e.path);
      const fd = openSync(p, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
      st.fd = fd;
      e.on('data', (chunk: Buffer) => {
        if (st.failure) return;
        try {
          for (let off = 0; off < chunk.length;) off += writeSync(fd, chunk, off);
        } catch (err) {
          fail(err);
        }
      });
      e.on('end', () => {
        if (st.failure) return;
        try {
          fchmodSync(fd, mode);
          if (e.mtime) futimesSync(fd, e.mtime, e.mtime);
          closeFd();
          files++;
        } catch (err) {
          fail(err);
        }
      });
    };
    parser.on('entry', (e: tar.ReadEntry) => {
      try {
        onEntry(e);
      } catch (err) {
        e.resume();
        fail(err);
      }
    });

    const done = new Promise<void>((resolve, reject) => {
      parser.on('end', resolve);
      parser.on('error', (err: Error) => reject(st.failure ?? err));
      parser.on('abort', (err: Error) => reject(st.failure ?? err));
    });
    const sink = new Writable({
      highWaterMark: 1 << 20,
      write(chunk: Buffer, _enc, cb) {
        if (st.failure) return cb(st.failure);
        if (parser.write(chunk)) cb(st.failure);
        else parser.once('drain', () => cb(st.failure));
      },
      final(cb) {
        parser.end();
        done.then(
          () => cb(),
          (err: Error) => cb(err),
        );
      },
    });
    const stages: Array<NodeJS.ReadableStream | NodeJS.WritableStream> = [source];
    if (opts.gzip) {
      const ratio = this.limits.maxRatio;
      let compressed = 0;
      let expanded = 0;
      stages.push(
        new Transform({
          transform(c: Buffer, _e, cb) {
            compressed += c.length;
            cb(null, c);
          },
        }),
        createGunzip({ chunkSize: 1 << 20 }),
        new Transform({
          transform(c: Buffer, _e, cb) {
            expanded += c.length;
            if (expanded > RATIO_FLOOR && expanded > ratio * compressed)
              cb(new UnsafeTarballError(`it expands to more than ${ratio} times its compressed size`));
            else cb(null, c);
          },
        }),
      );
    }
    // A parser failure (an unsafe entry) ends the pipeline too, whatever it was waiting for.
    done.catch((e: Error) => sink.destroy(e));
    try {
      await (pipeline as (streams: Array<NodeJS.ReadableStream | NodeJS.WritableStream>) => Promise<void>)([
        ...stages,
        sink,
      ]);
      await done;
    } catch (e) {
      closeFd();
      const err: Error = st.failure ?? (e instanceof UnsafeTarballError ? e : new Error(describeTarError(e)));
      if (err instanceof UnsafeTarballError)
        throw new UnsafeTarballError(`${opts.label}: refusing to extract: ${err.message}`);
      throw new Error(`${opts.label}: ${err.message}`);
    }
    if (st.failure) throw new UnsafeTarballError(`${opts.label}: refusing to extract: ${st.failure.message}`);
    return files;
  }

  /**
   * Before a tree leaves the root: it is a real directory where we expect it, holds no special file and no
   * mode bit above 0777, and every symlink in it resolves inside it (links added later can redirect earlier
   * ones, so this is checked on the finished tree).
   */
  verify(dir: string, label: string): void {
    const top = this.parts(dir);
    if (realpathSync(dir) !== this.abs(top)) throw new UnsafeTarballError(`${label}: ${dir} moved out of the root`);
    const walk = (parts: string[]) => {
      for (const e of readdirSync(this.abs(parts), { withFileTypes: true })) {
        const at = [...parts, e.name];
        const rel = at.slice(top.length).join('/');
        if (e.isDirectory()) walk(at);
        else if (e.isSymbolicLink()) {
          const text = readlinkSync(this.abs(at));
          if (this.linkEscapes(at, text, top))
            throw new UnsafeTarballError(`${label}: symlink ${q(rel)} -> ${q(text)} points outside the tree`);
        } else if (!e.isFile()) throw new UnsafeTarballError(`${label}: ${q(rel)} is not a regular file`);
        else if (lstatSync(this.abs(at)).mode & 0o7000)
          throw new UnsafeTarballError(`${label}: ${q(rel)} has a setuid, setgid or sticky bit`);
      }
    };
    walk(top);
  }
}

/** A one-off root for one tarball (tests, and callers that unpack a single archive). */
export async function safeUnpack(source: Readable, opts: UnpackOptions & { root?: ExtractRoot }): Promise<number> {
  return (opts.root ?? new ExtractRoot(opts.cwd)).unpack(source, opts);
}

function describeTarError(e: unknown): string {
  const err = e as Error & { code?: string };
  if (err.code === 'Z_BUF_ERROR' || err.code === 'TAR_BAD_ARCHIVE' || /unexpected end|truncated/i.test(err.message)) {
    return `truncated or corrupt tarball (${err.message})`;
  }
  return err.message;
}
