// Images without a registry: each image the nodes need is built here (pause from the Kubernetes module's
// pause.c with gcc -static; agnhost from the module's test/images/agnhost with go build; busybox from
// Debian's busybox-static), written as a docker-archive tar with exactly the upstream name and tag, and
// cached by (name, tag, source digest). The nodes import them with `ctr images import`.
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { create as tarCreate } from 'tar';
import { StepFailure } from '../../../../process/errors.js';
import { goCacheEnv, kubeWrapperGoMod } from '../../../../release/build/goenv.js';
import { withLock, type Exec } from '../../../../release/build/gotool.js';

export interface ImageRef {
  /** registry.k8s.io/pause:3.10.2 */
  name: string;
  tar: string;
}

export interface KubeImages {
  pause: ImageRef;
  agnhost: ImageRef;
  busybox: ImageRef;
  /** e2e's DNS querier (was jessie-dnsutils): a shell, dig and glibc's getent. */
  glibcDns: ImageRef;
}

/** The image tags the release's e2e uses (test/utils/image/manifest.go). */
export function e2eImageTags(manifestGo: string): {
  pause: string;
  agnhost: string;
  busybox: string;
  glibcDns: string;
} {
  const tag = (key: string) => {
    const m = new RegExp(`configs\\[${key}\\]\\s*=\\s*Config\\{[^,]+,\\s*"[^"]+",\\s*"([^"]+)"`).exec(manifestGo);
    if (!m) throw new Error(`no ${key} image in test/utils/image/manifest.go`);
    return m[1]!;
  };
  return { pause: tag('Pause'), agnhost: tag('Agnhost'), busybox: tag('BusyBox'), glibcDns: tag('GlibcDnsTesting') };
}

export interface ImageSpec {
  name: string;
  /** What the image is made from: its digest keys the cache. */
  sourceDigest: string;
  entrypoint?: string[];
  cmd?: string[];
  /** Fills the (empty) root file system. */
  fill(rootfs: string): Promise<void>;
}

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A docker-archive (docker save) tar with one layer: what `ctr images import` and `docker load` read. */
export async function writeDockerArchive(spec: ImageSpec, rootfs: string, out: string): Promise<void> {
  const work = `${out}.d`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const layer = join(work, 'layer.tar');
  await tarCreate({ file: layer, cwd: rootfs, portable: true, noMtime: true }, ['.']);
  const layerDigest = sha256(readFileSync(layer));
  const config = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    config: {
      Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      ...(spec.entrypoint ? { Entrypoint: spec.entrypoint } : {}),
      ...(spec.cmd ? { Cmd: spec.cmd } : {}),
    },
    rootfs: { type: 'layers', diff_ids: [`sha256:${layerDigest}`] },
    history: [{ created_by: `kubetest: ${spec.name} from ${spec.sourceDigest}` }],
  });
  const configName = `${sha256(config)}.json`;
  writeFileSync(join(work, configName), config);
  mkdirSync(join(work, layerDigest));
  renameSync(layer, join(work, layerDigest, 'layer.tar'));
  writeFileSync(
    join(work, 'manifest.json'),
    JSON.stringify([{ Config: configName, RepoTags: [spec.name], Layers: [`${layerDigest}/layer.tar`] }]),
  );
  await tarCreate({ file: `${out}.tmp`, cwd: work, portable: true }, ['manifest.json', configName, layerDigest]);
  renameSync(`${out}.tmp`, out);
  rmSync(work, { recursive: true, force: true });
}

export async function cachedImage(cacheDir: string, spec: ImageSpec): Promise<ImageRef> {
  const base = spec.name.replace(/^.*\//, '').replace(/[^A-Za-z0-9._-]/g, '_');
  const out = join(cacheDir, 'images', `${base}-${sha256(`${spec.name} ${spec.sourceDigest}`).slice(0, 16)}.tar`);
  if (existsSync(out)) return { name: spec.name, tar: out };
  await withLock(out, async () => {
    if (existsSync(out)) return;
    const rootfs = `${out}.rootfs`;
    rmSync(rootfs, { recursive: true, force: true });
    mkdirSync(rootfs, { recursive: true });
    await spec.fill(rootfs);
    await writeDockerArchive(spec, rootfs, out);
    rmSync(rootfs, { recursive: true, force: true });
  });
  return { name: spec.name, tar: out };
}

/** busybox-static at /bin/busybox with its applets linked (sh, ls, cat, ...). */
function addBusybox(rootfs: string, busybox: string): void {
  mkdirSync(join(rootfs, 'bin'), { recursive: true });
  copyFileSync(busybox, join(rootfs, 'bin', 'busybox'));
  chmodSync(join(rootfs, 'bin', 'busybox'), 0o755);
  for (const d of ['tmp', 'etc', 'proc', 'sys', 'dev', 'root']) mkdirSync(join(rootfs, d), { recursive: true });
  chmodSync(join(rootfs, 'tmp'), 0o1777);
  writeFileSync(
    join(rootfs, 'etc', 'passwd'),
    'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n',
  );
  writeFileSync(join(rootfs, 'etc', 'group'), 'root:x:0:\nnobody:x:65534:\n');
}

/** A dynamically linked host binary and the libraries ldd names, at their own paths. */
async function addDynamic(exec: Exec, rootfs: string, bin: string, as: string): Promise<void> {
  const r = await exec(['ldd', bin], { captureStdout: true });
  const libs = [...r.stdout.matchAll(/(?:=>\s*)?(\/\S+)\s+\(0x/g)].map((m) => m[1]!);
  for (const lib of [...libs]) {
    mkdirSync(join(rootfs, dirname(lib)), { recursive: true });
    if (!existsSync(join(rootfs, lib))) copyFileSync(lib, join(rootfs, lib));
  }
  mkdirSync(join(rootfs, dirname(as)), { recursive: true });
  copyFileSync(bin, join(rootfs, as));
  chmodSync(join(rootfs, as), 0o755);
}

async function busyboxApplets(exec: Exec, busybox: string): Promise<string[]> {
  const r = await exec([busybox, '--list'], { captureStdout: true });
  return r.stdout.split('\n').filter((a) => /^[\w.[-]+$/.test(a) && a !== 'busybox');
}

export async function resolveImages(
  cacheDir: string,
  kubeVersion: string,
  exec: Exec,
  env: NodeJS.ProcessEnv,
): Promise<KubeImages> {
  const goEnv = goCacheEnv(cacheDir, env);
  const version = kubeVersion.replace(/\+.*$/, '');
  const dl = await exec(['go', 'mod', 'download', '-json', `k8s.io/kubernetes@${version}`], {
    env: goEnv,
    captureStdout: true,
    cwd: cacheDir,
  });
  const mod = JSON.parse(dl.stdout) as { Dir: string; GoMod: string };
  const tags = e2eImageTags(readFileSync(join(mod.Dir, 'test/utils/image/manifest.go'), 'utf8'));
  const busybox = '/bin/busybox';
  if (!existsSync(busybox))
    throw new StepFailure('kubelet nodes: /bin/busybox is missing: run hack/install-debs.sh (Debian busybox-static)');
  const bash = '/bin/bash-static';
  for (const [f, pkg] of [
    [bash, 'bash-static'],
    ['/usr/bin/curl', 'curl'],
    ['/usr/bin/dig', 'bind9-dnsutils'],
    ['/bin/nc.openbsd', 'netcat-openbsd'],
  ] as const)
    if (!existsSync(f))
      throw new StepFailure(`kubelet nodes: ${f} is missing: run hack/install-debs.sh (Debian ${pkg})`);
  const applets = await busyboxApplets(exec, busybox);
  // busybox applets, but bash as /bin/sh: Debian's busybox 1.35 ash drops environment variables whose names
  // are not identifiers (e2e's ConfigMap/Secret env specs set "data-1"), which upstream's busybox 1.37 keeps.
  const withApplets = (rootfs: string) => {
    addBusybox(rootfs, busybox);
    copyFileSync(bash, join(rootfs, 'bin', 'bash'));
    chmodSync(join(rootfs, 'bin', 'bash'), 0o755);
    symlinkSync('bash', join(rootfs, 'bin', 'sh'));
    for (const a of applets) if (!existsSync(join(rootfs, 'bin', a))) symlinkSync('busybox', join(rootfs, 'bin', a));
  };
  const busyboxDigest = sha256(Buffer.concat([readFileSync(busybox), readFileSync(bash), Buffer.from('sh=bash')]));

  const pauseC = join(mod.Dir, 'build/pause/linux/pause.c');
  const pause = await cachedImage(cacheDir, {
    name: `registry.k8s.io/pause:${tags.pause}`,
    sourceDigest: sha256(readFileSync(pauseC) + tags.pause),
    entrypoint: ['/pause'],
    fill: async (rootfs) => {
      await exec([
        'gcc',
        '-Os',
        '-static',
        '-Wall',
        '-Werror',
        `-DVERSION=v${tags.pause}`,
        '-o',
        join(rootfs, 'pause'),
        pauseC,
      ]);
    },
  });
  const agnhost = await cachedImage(cacheDir, {
    name: `registry.k8s.io/e2e-test-images/agnhost:${tags.agnhost}`,
    sourceDigest: sha256(
      [
        `k8s.io/kubernetes@${version} agnhost ${tags.agnhost} ${busyboxDigest}`,
        ...['/usr/bin/curl', '/usr/bin/dig', '/bin/nc.openbsd'].map((f) => sha256(readFileSync(f))),
        'getent',
      ].join(' '),
    ),
    entrypoint: ['/agnhost'],
    cmd: ['pause'],
    fill: async (rootfs) => {
      const work = join(cacheDir, 'work', `agnhost-${version}`);
      rmSync(work, { recursive: true, force: true });
      mkdirSync(work, { recursive: true });
      writeFileSync(join(work, 'go.mod'), kubeWrapperGoMod(version, readFileSync(mod.GoMod, 'utf8')));
      await exec(['go', 'get', `k8s.io/kubernetes@${version}`], { cwd: work, env: goEnv });
      await exec(
        [
          'go',
          'build',
          '-trimpath',
          '-ldflags',
          '-s -w',
          '-o',
          join(rootfs, 'agnhost'),
          'k8s.io/kubernetes/test/images/agnhost',
        ],
        { cwd: work, env: goEnv },
      );
      rmSync(work, { recursive: true, force: true });
      withApplets(rootfs);
      // What e2e runs inside agnhost besides agnhost itself (upstream's image is Alpine with these).
      await addDynamic(exec, rootfs, '/usr/bin/curl', '/usr/bin/curl');
      await addDynamic(exec, rootfs, '/usr/bin/dig', '/usr/bin/dig');
      await addDynamic(exec, rootfs, '/bin/nc.openbsd', '/usr/bin/nc');
      await addDynamic(exec, rootfs, '/usr/bin/getent', '/usr/bin/getent');
      writeFileSync(join(rootfs, 'etc', 'nsswitch.conf'), 'passwd: files\ngroup: files\nhosts: files dns\n');
      symlinkSync('agnhost', join(rootfs, 'agnhost-2'));
    },
  });
  const busyboxImage = await cachedImage(cacheDir, {
    name: `registry.k8s.io/e2e-test-images/busybox:${tags.busybox}`,
    sourceDigest: busyboxDigest,
    cmd: ['sh'],
    fill: async (rootfs) => withApplets(rootfs),
  });
  const getent = '/usr/bin/getent';
  const glibcDns = await cachedImage(cacheDir, {
    name: `registry.k8s.io/e2e-test-images/glibc-dns-testing:${tags.glibcDns}`,
    sourceDigest: sha256(
      [
        busyboxDigest,
        ...['/usr/bin/dig', getent, '/lib/x86_64-linux-gnu/libc.so.6'].map((f) => sha256(readFileSync(f))),
      ].join(' '),
    ),
    cmd: ['sh'],
    fill: async (rootfs) => {
      withApplets(rootfs);
      await addDynamic(exec, rootfs, '/usr/bin/dig', '/usr/bin/dig');
      await addDynamic(exec, rootfs, getent, '/usr/bin/getent');
      writeFileSync(join(rootfs, 'etc', 'nsswitch.conf'), 'passwd: files\ngroup: files\nhosts: files dns\n');
    },
  });
  return { pause, agnhost, busybox: busyboxImage, glibcDns };
}
