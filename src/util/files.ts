// Reading the end of a (possibly huge, possibly missing) log file without loading all of it.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** The last `lines` lines of `file`, reading at most its last `maxBytes`; '(no log)' when it is missing. */
export function fileTail(file: string, lines = 20, maxBytes = 64 * 1024): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return '(no log)';
  }
  try {
    const size = fstatSync(fd).size;
    const len = Math.min(size, maxBytes);
    const buf = Buffer.alloc(len);
    readSync(fd, buf, 0, len, size - len);
    const text = buf.toString('utf8').replace(/\n$/, '');
    return text.split('\n').slice(-lines).join('\n');
  } finally {
    closeSync(fd);
  }
}
