// Tar archives written header by header, so that they can hold what no well-behaved tar writes: links
// through links, `..`, absolute names, setuid bits, FIFOs, devices, duplicate names (long names use pax).
import { gzipSync } from 'node:zlib';
import * as tar from 'tar';

export type RawType = 'File' | 'Directory' | 'SymbolicLink' | 'Link' | 'CharacterDevice' | 'BlockDevice' | 'FIFO';

export interface RawTarEntry {
  path: string;
  type: RawType;
  body?: string | Buffer;
  linkpath?: string;
  mode?: number;
}

function pad(n: number): Buffer {
  return Buffer.alloc((512 - (n % 512)) % 512);
}

export function rawTar(entries: RawTarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const body = Buffer.from(e.body ?? '');
    const data = {
      path: e.path,
      mode: e.mode ?? (e.type === 'Directory' ? 0o755 : 0o644),
      uid: 0,
      gid: 0,
      size: e.type === 'File' ? body.length : 0,
      mtime: new Date(0),
      type: e.type,
      linkpath: e.linkpath ?? '',
    };
    if (Buffer.byteLength(e.path) > 99 || Buffer.byteLength(e.linkpath ?? '') > 99) {
      const pax = new tar.Pax({ path: e.path, linkpath: e.linkpath ?? '', mtime: new Date(0) }).encode();
      blocks.push(pax);
    }
    const h = new tar.Header(data);
    const block = Buffer.alloc(512);
    h.encode(block, 0);
    blocks.push(block);
    if (e.type === 'File' && body.length) blocks.push(body, pad(body.length));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

export function rawTarGz(entries: RawTarEntry[]): Buffer {
  return gzipSync(rawTar(entries));
}
