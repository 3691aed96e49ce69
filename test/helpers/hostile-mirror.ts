// A release mirror that attacks the client: hostile tarballs (published with matching checksums, as a mirror
// that controls both would), oversized and endless markers, bodies that stall after their headers. Loopback,
// ephemeral port; `stop()` closes every connection.
import { createReadStream, createWriteStream, existsSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import * as tar from 'tar';
import { writeChecksumFiles } from '../../src/release/layout.js';
import { makeMiniRelease } from './minirelease.js';
import { rawTarGz, type RawTarEntry } from './rawtar.js';
import { tempDir } from './tmp.js';

export const MIRROR_VERSION = 'v1.36.3';
export const MIRROR_CI_PATH = 'k8s-release-dev/ci';

export const ATTACKS = [
  'none',
  'symlink-chain',
  'dir-replace',
  'setuid',
  'fifo',
  'device',
  'gzip-bomb',
  'over-cap',
  'huge-marker',
  'endless-marker',
  'stalled-marker',
  'stalled-sha512',
  'big-sha512',
] as const;
export type Attack = (typeof ATTACKS)[number];

export interface HostileMirror {
  url: string;
  stop(): Promise<void>;
  /** Requests per path. */
  hits: Map<string, number>;
}

const BASE: RawTarEntry[] = [
  { path: 'kubernetes/', type: 'Directory' },
  { path: 'kubernetes/version', type: 'File', body: `${MIRROR_VERSION}\n` },
];

/**
 * `s1 -> ..` then `sN -> s(N-1)/..`: each link looks inside the tree when read as text, but through the
 * links before it climbs one more level: s1 is kubernetes/, s2 its parent (the stage dir), and so on.
 */
function chain(n: number): RawTarEntry[] {
  const out: RawTarEntry[] = [{ path: 'kubernetes/x/', type: 'Directory' }];
  for (let i = 1; i <= n; i++)
    out.push({ path: `kubernetes/x/s${i}`, type: 'SymbolicLink', linkpath: i === 1 ? '..' : `s${i - 1}/..` });
  return out;
}

async function replace(dir: string, name: string, entries: RawTarEntry[]): Promise<void> {
  writeFileSync(join(dir, name), rawTarGz(entries));
  await writeChecksumFiles(join(dir, name));
}

/** A tarball holding one file of `size` zero bytes, gzipped as it is generated (no big buffer). */
async function bomb(file: string, size: number): Promise<void> {
  const header = Buffer.alloc(512);
  new tar.Header({ path: 'kubernetes/bomb', mode: 0o644, size, type: 'File', mtime: new Date(0) }).encode(header, 0);
  async function* gen() {
    yield header;
    const zeros = Buffer.alloc(1 << 20);
    for (let left = size; left > 0; left -= zeros.length) yield left >= zeros.length ? zeros : zeros.subarray(0, left);
    yield Buffer.alloc(1024 + ((512 - (size % 512)) % 512));
  }
  await pipeline(Readable.from(gen()), createGzip({ level: 9 }), createWriteStream(file));
  await writeChecksumFiles(file);
}

async function prepare(attack: Attack, dir: string): Promise<void> {
  switch (attack) {
    case 'symlink-chain':
      return replace(dir, 'kubernetes.tar.gz', [
        ...BASE,
        ...chain(6),
        { path: 'kubernetes/escape', type: 'SymbolicLink', linkpath: 'x/s6/outside' },
      ]);
    case 'dir-replace':
      // The client and test tarballs unpack into kubernetes/platforms/linux/amd64: turn it into a link that
      // climbs out of the work dir (stage → .kubetest-extract-<pid> → work dir → its parent) into outside/.
      return replace(dir, 'kubernetes.tar.gz', [
        ...BASE,
        ...chain(5),
        { path: 'kubernetes/platforms/', type: 'Directory' },
        { path: 'kubernetes/platforms/linux/', type: 'Directory' },
        { path: 'kubernetes/platforms/linux/amd64', type: 'SymbolicLink', linkpath: '../../x/s5/outside' },
      ]);
    case 'setuid':
      return replace(dir, 'kubernetes.tar.gz', [
        ...BASE,
        { path: 'kubernetes/cluster/', type: 'Directory' },
        { path: 'kubernetes/cluster/suid-tool', type: 'File', body: '#!/bin/sh\nid\n', mode: 0o6755 },
        { path: 'kubernetes/shared/', type: 'Directory', mode: 0o3777 },
      ]);
    case 'fifo':
      return replace(dir, 'kubernetes.tar.gz', [...BASE, { path: 'kubernetes/pipe', type: 'FIFO' }]);
    case 'device':
      return replace(dir, 'kubernetes.tar.gz', [...BASE, { path: 'kubernetes/sda', type: 'BlockDevice' }]);
    case 'gzip-bomb':
      return bomb(join(dir, 'kubernetes-test-portable.tar.gz'), 256 << 20);
    case 'over-cap': {
      const { randomBytes } = await import('node:crypto');
      return replace(dir, 'kubernetes-test-portable.tar.gz', [
        { path: 'kubernetes/', type: 'Directory' },
        { path: 'kubernetes/big', type: 'File', body: randomBytes(3 << 20) },
      ]);
    }
    default:
      return;
  }
}

/** Writes `total` bytes of `fill` (or forever when total is Infinity) as fast as the client reads. */
function flood(res: ServerResponse, total: number, fill: string): void {
  const chunk = Buffer.alloc(64 << 10, fill);
  let sent = 0;
  const more = () => {
    while (!res.destroyed && sent < total) {
      const n = Math.min(chunk.length, total - sent);
      sent += n;
      if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void res.once('drain', more);
    }
    if (!res.destroyed) res.end();
  };
  res.on('close', () => (sent = total));
  more();
}

export async function startHostileMirror(attack: Attack): Promise<HostileMirror> {
  const root = tempDir('hostile-mirror');
  const rel = await makeMiniRelease(root, MIRROR_CI_PATH, MIRROR_VERSION);
  await prepare(attack, rel.dir);
  const marker = `/${MIRROR_CI_PATH}/latest.txt`;
  const relPath = `/${MIRROR_CI_PATH}/${MIRROR_VERSION}`;
  const hits = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (path === marker && attack === 'huge-marker') {
      res.writeHead(200, { 'content-length': 1 << 30 });
      return flood(res, 1 << 30, 'v');
    }
    if (path === marker && attack === 'endless-marker') {
      res.writeHead(200, { 'content-type': 'text/plain' }); // chunked, no length
      return flood(res, Infinity, 'v');
    }
    const stalled =
      (attack === 'stalled-marker' && path === marker) ||
      (attack === 'stalled-sha512' && path === `${relPath}/kubernetes-client-linux-amd64.tar.gz.sha512`);
    if (stalled) {
      res.writeHead(200, { 'content-length': 200 });
      res.write('v1.');
      return; // and nothing more: the client must give up
    }
    if (attack === 'big-sha512' && path === `${relPath}/kubernetes.tar.gz.sha512`) {
      res.writeHead(200, { 'content-length': 1 << 20 });
      return flood(res, 1 << 20, 'a');
    }
    const file = normalize(join(root, path));
    if (!file.startsWith(root) || !existsSync(file) || statSync(file).isDirectory())
      return void res.writeHead(404).end('not found');
    const size = statSync(file).size;
    if (req.method === 'HEAD') return void res.writeHead(200, { 'content-length': size }).end();
    const send = () => {
      res.writeHead(200, { 'content-length': size });
      createReadStream(file).pipe(res);
    };
    // The attack on the unpack dir works best when the tarball that plants the link is unpacked first.
    if (attack === 'dir-replace' && /kubernetes-(client|test)-linux/.test(path)) setTimeout(send, 1500);
    else send();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
