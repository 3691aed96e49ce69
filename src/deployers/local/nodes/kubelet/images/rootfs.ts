// What image layers are filled with: Debian's busybox applets, host programs with the libraries ldd names,
// and Debian packages unpacked as they are (downloaded once into the cache with apt-get download).
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { StepFailure } from '../../../../../process/errors.js';
import { withLock, type Exec } from '../../../../../release/build/gotool.js';

export const BUSYBOX = '/bin/busybox';
export const BASH_STATIC = '/bin/bash-static';

/** Host files the images are made of, with the Debian package that brings each (hack/install-debs.sh). */
export function requireHostFiles(files: ReadonlyArray<readonly [string, string]>): void {
  for (const [f, pkg] of files)
    if (!existsSync(f))
      throw new StepFailure(`kubelet nodes: ${f} is missing: run hack/install-debs.sh (Debian ${pkg})`);
}

export async function busyboxApplets(exec: Exec): Promise<string[]> {
  const r = await exec([BUSYBOX, '--list'], { captureStdout: true });
  return r.stdout.split('\n').filter((a) => /^[\w.[-]+$/.test(a) && a !== 'busybox');
}

export function writeUsers(rootfs: string, users: string[] = [], groups: string[] = []): void {
  mkdirSync(join(rootfs, 'etc'), { recursive: true });
  const passwd = ['root:x:0:0:root:/root:/bin/sh', ...users, 'nobody:x:65534:65534:nobody:/:/bin/false'];
  writeFileSync(join(rootfs, 'etc', 'passwd'), `${passwd.join('\n')}\n`);
  writeFileSync(join(rootfs, 'etc', 'group'), `${['root:x:0:', ...groups, 'nobody:x:65534:'].join('\n')}\n`);
}

/**
 * busybox-static at /bin/busybox with its applets linked, but bash as /bin/sh: Debian's busybox 1.35 ash drops
 * environment variables whose names are not identifiers (e2e's ConfigMap/Secret env specs set "data-1"), which
 * upstream's busybox 1.37 keeps.
 */
export function fillBusybox(rootfs: string, applets: string[]): void {
  mkdirSync(join(rootfs, 'bin'), { recursive: true });
  for (const [from, to] of [
    [BUSYBOX, 'busybox'],
    [BASH_STATIC, 'bash'],
  ] as const) {
    copyFileSync(from, join(rootfs, 'bin', to));
    chmodSync(join(rootfs, 'bin', to), 0o755);
  }
  symlinkSync('bash', join(rootfs, 'bin', 'sh'));
  for (const a of applets) if (!existsSync(join(rootfs, 'bin', a))) symlinkSync('busybox', join(rootfs, 'bin', a));
  for (const d of ['tmp', 'etc', 'proc', 'sys', 'dev', 'root']) mkdirSync(join(rootfs, d), { recursive: true });
  chmodSync(join(rootfs, 'tmp'), 0o1777);
  writeUsers(rootfs);
}

/** A dynamically linked host binary and the libraries ldd names, at their own paths. */
export async function addDynamic(exec: Exec, rootfs: string, bin: string, as: string): Promise<void> {
  const r = await exec(['ldd', bin], { captureStdout: true });
  const libs = [...r.stdout.matchAll(/(?:=>\s*)?(\/\S+)\s+\(0x/g)].map((m) => m[1]!);
  for (const lib of libs) {
    mkdirSync(join(rootfs, dirname(lib)), { recursive: true });
    if (!existsSync(join(rootfs, lib))) copyFileSync(lib, join(rootfs, lib));
  }
  mkdirSync(join(rootfs, dirname(as)), { recursive: true });
  copyFileSync(bin, join(rootfs, as));
  chmodSync(join(rootfs, as), 0o755);
}

/**
 * The .deb files of these Debian packages (the candidate version when first asked, then that file from the
 * cache). Package names are ours, never input.
 */
export async function debianPackages(cacheDir: string, exec: Exec, pkgs: string[]): Promise<string[]> {
  const dir = join(cacheDir, 'debs');
  mkdirSync(dir, { recursive: true });
  const cached = () => {
    const files = readdirSync(dir);
    return pkgs.map((p) => files.find((f) => f.startsWith(`${p}_`) && f.endsWith('.deb')));
  };
  if (cached().every(Boolean)) return cached().map((f) => join(dir, f!));
  return withLock(join(dir, 'download'), async () => {
    const missing = pkgs.filter((_, i) => !cached()[i]);
    try {
      await exec(['apt-get', 'download', ...missing], { cwd: dir });
    } catch {
      // No package lists yet (a fresh machine whose Debian tools were all there): fetch them once.
      await exec(['apt-get', 'update', '-qq']);
      await exec(['apt-get', 'download', ...missing], { cwd: dir });
    }
    const files = cached();
    const lost = pkgs.filter((_, i) => !files[i]);
    if (lost.length) throw new StepFailure(`kubelet nodes: apt-get download did not fetch ${lost.join(', ')}`);
    return files.map((f) => join(dir, f!));
  });
}

export async function unpackDebs(exec: Exec, debs: string[], rootfs: string): Promise<void> {
  for (const deb of debs) await exec(['dpkg-deb', '-x', deb, rootfs]);
}
