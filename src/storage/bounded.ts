// Reading a whole object into memory, bounded: at most maxBytes (an announced larger size is refused before
// the body is read; an endless body is cut), and a stall timeout on every chunk (a body that stops after its
// headers fails instead of hanging).
import { DEFAULT_READ_MAX_BYTES, DEFAULT_STALL_MS, StallError, TooLargeError } from './types.js';
import type { ReadHandle, ReadOptions } from './types.js';

export function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

export function collect(h: ReadHandle, url: string, o: ReadOptions = {}): Promise<Buffer> {
  const max = o.maxBytes ?? DEFAULT_READ_MAX_BYTES;
  const stallMs = o.stallMs ?? DEFAULT_STALL_MS;
  const s = h.stream;
  return new Promise<Buffer>((resolve, reject) => {
    if (h.size !== undefined && h.size > max) {
      s.destroy();
      return reject(new TooLargeError(url, max));
    }
    const chunks: Buffer[] = [];
    let n = 0;
    let timer: NodeJS.Timeout | undefined;
    const finish = (err: Error | undefined) => {
      clearTimeout(timer);
      s.off('data', onData);
      s.off('end', onEnd);
      s.off('error', finish);
      if (!err) return resolve(Buffer.concat(chunks));
      s.on('error', () => undefined); // late errors of a stream we gave up on
      s.destroy();
      reject(err);
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => finish(new StallError(`${url}: stalled (no data for ${formatMs(stallMs)})`)), stallMs);
    };
    const onData = (c: Buffer | string) => {
      const b = typeof c === 'string' ? Buffer.from(c) : c;
      n += b.length;
      if (n > max) return finish(new TooLargeError(url, max));
      chunks.push(b);
      arm();
    };
    const onEnd = () => finish(undefined);
    s.on('data', onData);
    s.once('end', onEnd);
    s.once('error', finish);
    arm();
  });
}
