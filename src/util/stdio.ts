// Standard output and error for what finishes before a run starts (--help, --version, usage errors, dry runs):
// written with fs.writeSync. Node builds process.stdout and process.stderr on first use, loading and compiling
// its stream machinery (~2.5 ms of a start); these paths never need it.
import { writeSync } from 'node:fs';

/** Where a line of output goes: a stream (process.stderr, a test's capture) or a file descriptor. */
export interface Out {
  write(text: string): unknown;
}

let pause: Int32Array | undefined;

/** All of text to fd, synchronously, as process.stdout would write it to a file, a pipe or a terminal. */
export function writeFd(fd: number, text: string): void {
  const buf = Buffer.from(text, 'utf8');
  for (let off = 0; off < buf.length;) {
    try {
      off += writeSync(fd, buf, off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return; // the reader is gone (kubetest --help | head): nothing more to say
      if (code !== 'EAGAIN') throw e;
      // A pipe that another process made non-blocking is full: wait a millisecond for its reader, and retry.
      Atomics.wait((pause ??= new Int32Array(new SharedArrayBuffer(4))), 0, 0, 1);
    }
  }
}

export const stdoutFd: Out = { write: (text: string) => writeFd(1, text) };
export const stderrFd: Out = { write: (text: string) => writeFd(2, text) };
