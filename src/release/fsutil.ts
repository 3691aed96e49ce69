// Small filesystem helpers shared by build, extract and stage.
import {
  closeSync,
  openSync,
  readSync,
  chmodSync,
  copyFileSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  existsSync,
  renameSync,
} from 'node:fs';
import { dirname, join } from 'node:path';

/** Copies a tree, making it writable by us (the module cache is read-only). Symlinks are kept as symlinks. */
export function copyTree(src: string, dst: string, filter: (rel: string) => boolean = () => true, rel = ''): void {
  const st = lstatSync(src);
  if (st.isSymbolicLink()) {
    mkdirSync(dirname(dst), { recursive: true });
    symlinkSync(readlinkSync(src), dst);
  } else if (st.isDirectory()) {
    mkdirSync(dst, { recursive: true });
    chmodSync(dst, 0o755);
    for (const e of readdirSync(src)) {
      const r = rel ? `${rel}/${e}` : e;
      if (filter(r)) copyTree(join(src, e), join(dst, e), filter, r);
    }
  } else if (st.isFile()) {
    mkdirSync(dirname(dst), { recursive: true });
    copyFileSync(src, dst);
    chmodSync(dst, st.mode & 0o111 || isScript(dst) ? 0o755 : 0o644);
  }
}

/** Go module zips drop the executable bit: scripts (a #! line) get it back. */
function isScript(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(2);
    return readSync(fd, b, 0, 2, 0) === 2 && b.toString('latin1') === '#!';
  } finally {
    closeSync(fd);
  }
}

/** Hard-links a file (copies across filesystems). */
export function linkOrCopy(src: string, dst: string): void {
  mkdirSync(dirname(dst), { recursive: true });
  rmSync(dst, { force: true });
  try {
    linkSync(src, dst);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV' && (e as NodeJS.ErrnoException).code !== 'EPERM') throw e;
    copyFileSync(src, dst);
  }
}

/** Hard-links every file of a tree into a new directory (the warm-cache copy of a release). */
export function linkTree(src: string, dst: string): number {
  mkdirSync(dirname(dst), { recursive: true });
  return linkInto(src, dst);
}

function linkInto(src: string, dst: string): number {
  let n = 0;
  mkdirSync(dst);
  for (const e of readdirSync(src, { withFileTypes: true })) {
    const from = join(src, e.name);
    const to = join(dst, e.name);
    if (e.isDirectory()) n += linkInto(from, to);
    else if (e.isSymbolicLink()) symlinkSync(readlinkSync(from), to);
    else {
      try {
        linkSync(from, to);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
        copyFileSync(from, to);
      }
    }
    n++;
  }
  return n;
}

/** Replaces `dst` with the fully prepared `tmp` (rename; the old one is removed first). */
export function replaceDir(tmp: string, dst: string): void {
  if (existsSync(dst)) {
    const old = `${dst}.old-${process.pid}`;
    renameSync(dst, old);
    renameSync(tmp, dst);
    rmSync(old, { recursive: true, force: true });
  } else {
    mkdirSync(dirname(dst), { recursive: true });
    renameSync(tmp, dst);
  }
}
