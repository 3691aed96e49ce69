// A small release in the official layout (real tarballs, real checksums, tiny "binaries"), for extract
// tests that must be fast and for tarballs that are broken on purpose.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import * as tar from 'tar';
import { writeChecksumFiles } from '../../src/release/layout.js';

const SCRIPT = (name: string, version: string, build = '') => `#!/bin/sh\necho "${name} ${version}${build}"\n`;

export interface MiniRelease {
  root: string;
  version: string;
  dir: string;
}

async function tarball(
  out: string,
  stage: string,
  build: (k: string) => void,
  entries = ['kubernetes'],
): Promise<void> {
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(join(stage, 'kubernetes'), { recursive: true });
  build(join(stage, 'kubernetes'));
  await tar.c({ gzip: true, file: out, cwd: stage, portable: true }, entries);
  rmSync(stage, { recursive: true, force: true });
  await writeChecksumFiles(out);
}

function file(path: string, body: string, mode = 0o644): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, body, { mode });
}

/**
 * <root>/<bucketPath>/<version>/... plus markers latest.txt and latest-1.N.txt in <root>/<bucketPath>/.
 * `build` is appended to what the server binaries print: a re-staged release of the same version.
 */
export async function makeMiniRelease(
  root: string,
  bucketPath: string,
  version: string,
  build = '',
): Promise<MiniRelease> {
  const dir = join(root, bucketPath, version);
  mkdirSync(dir, { recursive: true });
  const stage = join(root, '.stage');
  await tarball(join(dir, 'kubernetes.tar.gz'), stage, (k) => {
    file(join(k, 'version'), `${version}\n`);
    file(
      join(k, 'cluster', 'kubectl.sh'),
      '#!/bin/sh\nexec "$(dirname "$0")/../platforms/linux/amd64/kubectl" "$@"\n',
      0o755,
    );
  });
  await tarball(join(dir, 'kubernetes-server-linux-amd64.tar.gz'), stage, (k) => {
    for (const b of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl'])
      file(join(k, 'server', 'bin', b), SCRIPT(b, version, build), 0o755);
    file(join(k, 'version'), `${version}\n`);
  });
  await tarball(join(dir, 'kubernetes-client-linux-amd64.tar.gz'), stage, (k) =>
    file(join(k, 'client', 'bin', 'kubectl'), SCRIPT('kubectl', version), 0o755),
  );
  await tarball(join(dir, 'kubernetes-test-linux-amd64.tar.gz'), stage, (k) => {
    for (const b of ['e2e.test', 'ginkgo']) file(join(k, 'test', 'bin', b), SCRIPT(b, version), 0o755);
  });
  await tarball(join(dir, 'kubernetes-test-portable.tar.gz'), stage, (k) =>
    file(join(k, 'hack', 'ginkgo-e2e.sh'), '#!/bin/sh\necho e2e "$@"\n', 0o755),
  );
  // The source tarball is like `git archive`: no kubernetes/ prefix.
  await tarball(
    join(dir, 'kubernetes-src.tar.gz'),
    stage,
    (k) => {
      file(join(k, '..', 'go.mod'), 'module k8s.io/kubernetes\n');
      file(join(k, '..', 'cmd', 'kubectl', 'kubectl.go'), 'package main\n');
    },
    ['go.mod', 'cmd'],
  );
  const m = /^v(\d+)\.(\d+)/.exec(version)!;
  for (const marker of ['latest.txt', `latest-${m[1]}.${m[2]}.txt`])
    writeFileSync(join(root, bucketPath, marker), version);
  return { root, version, dir };
}

interface RawEntry {
  path: string;
  type: 'File' | 'Directory' | 'SymbolicLink' | 'Link' | 'CharacterDevice';
  body?: string;
  linkpath?: string;
}

/** A gzipped tar written header by header, so that it can hold entries no well-behaved tar would write. */
export function rawTarGz(entries: RawEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const body = Buffer.from(e.body ?? '');
    const h = new tar.Header({
      path: e.path,
      mode: e.type === 'Directory' ? 0o755 : 0o644,
      uid: 0,
      gid: 0,
      size: e.type === 'File' ? body.length : 0,
      mtime: new Date(0),
      type: e.type,
      linkpath: e.linkpath ?? '',
    });
    const block = Buffer.alloc(512);
    h.encode(block, 0);
    blocks.push(block);
    if (e.type === 'File' && body.length) {
      blocks.push(body, Buffer.alloc((512 - (body.length % 512)) % 512));
    }
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

/** Replaces one tarball of a release with a hostile one (and republishes its checksums). */
export async function poisonTarball(
  dir: string,
  name: string,
  kind: 'dotdot' | 'symlink' | 'abs-symlink' | 'device' | 'hardlink',
): Promise<void> {
  const base: RawEntry[] = [
    { path: 'kubernetes/', type: 'Directory' },
    { path: 'kubernetes/version', type: 'File', body: 'v1.0.0\n' },
  ];
  const evil: Record<typeof kind, RawEntry> = {
    dotdot: { path: 'kubernetes/../../evil-outside', type: 'File', body: 'pwned\n' },
    symlink: { path: 'kubernetes/escape', type: 'SymbolicLink', linkpath: '../../../etc' },
    'abs-symlink': { path: 'kubernetes/escape', type: 'SymbolicLink', linkpath: '/etc' },
    device: { path: 'kubernetes/dev-null', type: 'CharacterDevice' },
    hardlink: { path: 'kubernetes/passwd', type: 'Link', linkpath: '../../../../etc/passwd' },
  };
  const out = join(dir, name);
  writeFileSync(out, rawTarGz([...base, evil[kind]]));
  await writeChecksumFiles(out);
}

/** Cuts a tarball in half (and republishes its checksums, so only the archive itself is wrong). */
export async function truncateTarball(dir: string, name: string): Promise<void> {
  const out = join(dir, name);
  const buf = readFileSync(out);
  writeFileSync(out, buf.subarray(0, Math.floor(buf.length / 2)));
  await writeChecksumFiles(out);
}
