// Every image the release's conformance specs run, with the upstream name and tag its e2e manifest
// (test/utils/image/manifest.go) gives, built here from real sources: the Kubernetes module (pause.c,
// test/images/*), the sample-apiserver and etcd modules, Debian packages. Layers are shared as upstream's are
// (kitten and nautilus on agnhost; the rest on the busybox layer).
import { readFileSync, writeFileSync, mkdirSync, chmodSync, copyFileSync, symlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { StepFailure } from '../../../../../process/errors.js';
import { buildGoTool, type Exec } from '../../../../../release/build/gotool.js';
import { goCacheEnv, kubeWrapperGoMod } from '../../../../../release/build/goenv.js';
import { cachedImage, sha256, type ImageRef } from './archive.js';
import {
  addDynamic,
  BASH_STATIC,
  BUSYBOX,
  busyboxApplets,
  debianPackages,
  fillBusybox,
  requireHostFiles,
  unpackDebs,
  writeUsers,
} from './rootfs.js';

/** The e2e manifest's image IDs we build. */
export const E2E_IMAGE_IDS = [
  'Pause',
  'BusyBox',
  'Agnhost',
  'AgnhostPrev',
  'GlibcDnsTesting',
  'Kitten',
  'Nautilus',
  'Nginx',
  'NginxNew',
  'NonRoot',
  'Nonewprivs',
  'APIServer',
  'Etcd',
] as const;
export type E2eImageId = (typeof E2E_IMAGE_IDS)[number];

/** ID → full upstream name (registry/name:tag), from the manifest's configs and its default registries. */
export function e2eImageNames(manifestGo: string): Record<E2eImageId, string> {
  const registries = new Map<string, string>();
  for (const m of manifestGo.matchAll(/^\s*(\w+Registry):\s*"([^"]+)",/gm)) registries.set(m[1]!, m[2]!);
  const out = {} as Record<E2eImageId, string>;
  for (const id of E2E_IMAGE_IDS) {
    const m = new RegExp(`configs\\[${id}\\]\\s*=\\s*Config\\{list\\.(\\w+),\\s*"([^"]+)",\\s*"([^"]+)"`).exec(
      manifestGo,
    );
    const registry = m && registries.get(m[1]!);
    if (!m || !registry) throw new Error(`no ${id} image in test/utils/image/manifest.go`);
    out[id] = `${registry}/${m[2]}:${m[3]}`;
  }
  return out;
}

export function tagOf(name: string): string {
  return name.slice(name.lastIndexOf(':') + 1);
}

export interface KubeImages {
  pause: ImageRef;
  /** Every image, pause included. */
  all: ImageRef[];
}

const NGINX_DEBS = ['nginx', 'nginx-common', 'libc6', 'libgcc-s1', 'libcrypt1', 'libpcre2-8-0', 'libssl3', 'zlib1g'];

const NGINX_CONF = `user nginx;
worker_processes auto;
error_log /var/log/nginx/error.log notice;
pid /run/nginx.pid;
events {
    worker_connections 1024;
}
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log /var/log/nginx/access.log;
    sendfile on;
    keepalive_timeout 65;
    include /etc/nginx/conf.d/*.conf;
}
`;

const NGINX_DEFAULT_SERVER = `server {
    listen 80;
    listen [::]:80;
    server_name localhost;
    location / {
        root /usr/share/nginx/html;
        index index.html index.htm;
    }
}
`;

interface Ctx {
  cacheDir: string;
  exec: Exec;
  env: NodeJS.ProcessEnv;
  /** The k8s.io/kubernetes module of the release (its Dir and go.mod). */
  mod: { Dir: string; GoMod: string };
  version: string;
}

/** A Go program of the Kubernetes module, built in a wrapper module that requires the release. */
async function buildKubeProgram(c: Ctx, pkg: string, out: string): Promise<void> {
  const goEnv = goCacheEnv(c.cacheDir, c.env);
  const work = join(c.cacheDir, 'work', `${pkg.replace(/\W+/g, '_')}-${c.version}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, 'go.mod'), kubeWrapperGoMod(c.version, readFileSync(c.mod.GoMod, 'utf8')));
  await c.exec(['go', 'get', `k8s.io/kubernetes@${c.version}`], { cwd: work, env: goEnv });
  await c.exec(['go', 'build', '-trimpath', '-ldflags', '-s -w', '-o', out, `k8s.io/kubernetes/${pkg}`], {
    cwd: work,
    env: goEnv,
  });
  rmSync(work, { recursive: true, force: true });
}

function copyInto(rootfs: string, from: string, to: string, mode = 0o644): void {
  mkdirSync(join(rootfs, to, '..'), { recursive: true });
  copyFileSync(from, join(rootfs, to));
  chmodSync(join(rootfs, to), mode);
}

export async function resolveImages(
  cacheDir: string,
  kubeVersion: string,
  exec: Exec,
  env: NodeJS.ProcessEnv,
): Promise<KubeImages> {
  const version = kubeVersion.replace(/\+.*$/, '');
  const dl = await exec(['go', 'mod', 'download', '-json', `k8s.io/kubernetes@${version}`], {
    env: goCacheEnv(cacheDir, env),
    captureStdout: true,
    cwd: cacheDir,
  });
  const c: Ctx = { cacheDir, exec, env, mod: JSON.parse(dl.stdout) as Ctx['mod'], version };
  const names = e2eImageNames(readFileSync(join(c.mod.Dir, 'test/utils/image/manifest.go'), 'utf8'));
  const hostTools = [
    [BUSYBOX, 'busybox-static'],
    [BASH_STATIC, 'bash-static'],
    ['/usr/bin/curl', 'curl'],
    ['/usr/bin/dig', 'bind9-dnsutils'],
    ['/bin/nc.openbsd', 'netcat-openbsd'],
  ] as const;
  requireHostFiles(hostTools);
  const hostDigest = (files: string[]) => files.map((f) => sha256(readFileSync(f))).join(' ');
  const src = (rel: string) => join(c.mod.Dir, rel);

  const applets = await busyboxApplets(exec);
  const busybox = await cachedImage(cacheDir, {
    name: names.BusyBox,
    sourceDigest: `${hostDigest([BUSYBOX, BASH_STATIC])} sh=bash`,
    cmd: ['sh'],
    fill: async (rootfs) => fillBusybox(rootfs, applets),
  });

  const pauseC = src('build/pause/linux/pause.c');
  const pause = await cachedImage(cacheDir, {
    name: names.Pause,
    sourceDigest: sha256(readFileSync(pauseC)),
    entrypoint: ['/pause'],
    fill: async (rootfs) => {
      const v = `-DVERSION=v${tagOf(names.Pause)}`;
      await exec(['gcc', '-Os', '-static', '-Wall', '-Werror', v, '-o', join(rootfs, 'pause'), pauseC]);
    },
  });

  // agnhost: the release's test/images/agnhost, and what e2e runs inside it besides agnhost (upstream's
  // image is Alpine with these), its users and groups, the porter's certificate and the uploads dir.
  const agnhostOwn = async (rootfs: string) => {
    await buildKubeProgram(c, 'test/images/agnhost', join(rootfs, 'agnhost'));
    symlinkSync('agnhost', join(rootfs, 'agnhost-2'));
    for (const f of ['localhost.crt', 'localhost.key']) copyInto(rootfs, src(`test/images/agnhost/porter/${f}`), f);
    mkdirSync(join(rootfs, 'uploads'));
    await addDynamic(exec, rootfs, '/usr/bin/curl', '/usr/bin/curl');
    await addDynamic(exec, rootfs, '/usr/bin/dig', '/usr/bin/dig');
    await addDynamic(exec, rootfs, '/bin/nc.openbsd', '/usr/bin/nc');
    await addDynamic(exec, rootfs, '/usr/bin/getent', '/usr/bin/getent');
    writeUsers(
      rootfs,
      ['user-defined-in-image:x:1000:1000::/home/user-defined-in-image:/bin/sh'],
      ['user-defined-in-image:x:1000:', 'group-defined-in-image:x:50000:user-defined-in-image'],
    );
    writeFileSync(join(rootfs, 'etc', 'nsswitch.conf'), 'passwd: files\ngroup: files\nhosts: files dns\n');
  };
  const agnhostSource = [
    `k8s.io/kubernetes@${version} test/images/agnhost`,
    hostDigest(['/usr/bin/curl', '/usr/bin/dig', '/bin/nc.openbsd', '/usr/bin/getent']),
  ].join(' ');
  const agnhost = await cachedImage(cacheDir, {
    name: names.Agnhost,
    sourceDigest: agnhostSource,
    base: busybox,
    entrypoint: ['/agnhost'],
    cmd: ['pause'],
    fill: agnhostOwn,
  });
  // The previous agnhost (2.55 for 1.36) is in no tagged Kubernetes module: the release's agnhost under that
  // tag (the same layers and config, so it costs nothing to build or import); what e2e needs of it is a second
  // image name to roll from one to the other.
  const agnhostPrev: ImageRef = { ...agnhost, name: names.AgnhostPrev };

  const glibcDns = await cachedImage(cacheDir, {
    name: names.GlibcDnsTesting,
    sourceDigest: hostDigest(['/usr/bin/dig', '/usr/bin/getent']),
    base: busybox,
    fill: async (rootfs) => {
      await addDynamic(exec, rootfs, '/usr/bin/dig', '/usr/bin/dig');
      await addDynamic(exec, rootfs, '/usr/bin/getent', '/usr/bin/getent');
      mkdirSync(join(rootfs, 'etc'), { recursive: true });
      writeFileSync(join(rootfs, 'etc', 'nsswitch.conf'), 'passwd: files\ngroup: files\nhosts: files dns\n');
    },
  });

  // kitten and nautilus: agnhost's test-webserver serving a picture and a JSON file from the module.
  const picture = (id: 'Kitten' | 'Nautilus', dir: string) => {
    const files = [`${dir}.jpg`, 'data.json'].map((f) => src(`test/images/${dir}/html/${f}`));
    return cachedImage(cacheDir, {
      name: names[id],
      sourceDigest: hostDigest(files),
      base: agnhost,
      cmd: ['test-webserver'],
      fill: async (rootfs) => {
        for (const f of files) copyInto(rootfs, f, f.slice(f.lastIndexOf('/') + 1));
      },
    });
  };
  const kitten = await picture('Kitten', 'kitten');
  const nautilus = await picture('Nautilus', 'nautilus');

  const nginxDebs = await debianPackages(cacheDir, exec, NGINX_DEBS);
  const nginxImage = (name: string) =>
    cachedImage(cacheDir, {
      name,
      sourceDigest: nginxDebs.map((d) => d.slice(d.lastIndexOf('/') + 1)).join(' ') + sha256(NGINX_CONF),
      base: busybox,
      cmd: ['nginx', '-g', 'daemon off;'],
      stopSignal: 'SIGQUIT',
      fill: async (rootfs) => {
        await unpackDebs(exec, nginxDebs, rootfs);
        rmSync(join(rootfs, 'usr', 'share', 'doc'), { recursive: true, force: true });
        rmSync(join(rootfs, 'usr', 'share', 'man'), { recursive: true, force: true });
        writeFileSync(join(rootfs, 'etc', 'nginx', 'nginx.conf'), NGINX_CONF);
        mkdirSync(join(rootfs, 'etc', 'nginx', 'conf.d'), { recursive: true });
        writeFileSync(join(rootfs, 'etc', 'nginx', 'conf.d', 'default.conf'), NGINX_DEFAULT_SERVER);
        mkdirSync(join(rootfs, 'var', 'log', 'nginx'), { recursive: true });
        symlinkSync('/dev/stdout', join(rootfs, 'var', 'log', 'nginx', 'access.log'));
        symlinkSync('/dev/stderr', join(rootfs, 'var', 'log', 'nginx', 'error.log'));
        for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'])
          mkdirSync(join(rootfs, 'var', 'lib', 'nginx', d), { recursive: true });
        mkdirSync(join(rootfs, 'run'), { recursive: true });
        writeUsers(rootfs, ['nginx:x:101:101:nginx:/nonexistent:/bin/false'], ['nginx:x:101:']);
        await checkRuns(exec, rootfs, ['/usr/sbin/nginx', '-V']);
      },
    });
  const nginx = await nginxImage(names.Nginx);
  const nginxNew = await nginxImage(names.NginxNew);

  const nonRoot = await cachedImage(cacheDir, {
    name: names.NonRoot,
    sourceDigest: 'USER 1234',
    base: busybox,
    user: '1234',
    fill: async () => undefined,
  });

  const nnp = src('test/images/nonewprivs/nnp.go');
  const nonewprivs = await cachedImage(cacheDir, {
    name: names.Nonewprivs,
    sourceDigest: sha256(readFileSync(nnp)),
    base: busybox,
    cmd: ['nnp'],
    fill: async (rootfs) => {
      const work = join(cacheDir, 'work', 'nonewprivs');
      rmSync(work, { recursive: true, force: true });
      mkdirSync(work, { recursive: true });
      copyFileSync(nnp, join(work, 'nnp.go'));
      writeFileSync(join(work, 'go.mod'), 'module nnp\n\ngo 1.22\n');
      const out = join(rootfs, 'usr', 'local', 'bin', 'nnp');
      await exec(['go', 'build', '-trimpath', '-o', out, '.'], { cwd: work, env: goCacheEnv(cacheDir, env) });
      chmodSync(out, 0o4755);
      rmSync(work, { recursive: true, force: true });
    },
  });

  // sample-apiserver <1.X.Y> is k8s.io/sample-apiserver v0.X.Y; etcd <3.6.8-0> is etcd v3.6.8.
  const apiTag = tagOf(names.APIServer);
  if (!/^1\.\d+\.\d+$/.test(apiTag)) throw new StepFailure(`kubelet nodes: unexpected sample-apiserver tag ${apiTag}`);
  const sampleApiserver = await buildGoTool(
    exec,
    cacheDir,
    { name: 'sample-apiserver', module: 'k8s.io/sample-apiserver', version: `v0${apiTag.slice(1)}` },
    env,
  );
  const apiserver = await cachedImage(cacheDir, {
    name: names.APIServer,
    sourceDigest: `k8s.io/sample-apiserver@v0${apiTag.slice(1)}`,
    base: busybox,
    entrypoint: ['/sample-apiserver'],
    fill: async (rootfs) => copyInto(rootfs, sampleApiserver, 'sample-apiserver', 0o755),
  });
  const etcdTag = /^(\d+\.\d+\.\d+)-\d+$/.exec(tagOf(names.Etcd));
  if (!etcdTag) throw new StepFailure(`kubelet nodes: unexpected etcd image tag ${tagOf(names.Etcd)}`);
  const etcdBin = await buildGoTool(
    exec,
    cacheDir,
    { name: 'etcd', module: 'go.etcd.io/etcd/server/v3', version: `v${etcdTag[1]}` },
    env,
  );
  const etcd = await cachedImage(cacheDir, {
    name: names.Etcd,
    sourceDigest: `go.etcd.io/etcd/server/v3@v${etcdTag[1]}`,
    base: busybox,
    fill: async (rootfs) => copyInto(rootfs, etcdBin, 'usr/local/bin/etcd', 0o755),
  });

  return {
    pause,
    all: [
      pause,
      busybox,
      agnhost,
      agnhostPrev,
      glibcDns,
      kitten,
      nautilus,
      nginx,
      nginxNew,
      nonRoot,
      nonewprivs,
      apiserver,
      etcd,
    ],
  };
}

/** The image's program starts in its own root (a packaged program with a missing library fails here). */
async function checkRuns(exec: Exec, rootfs: string, argv: string[]): Promise<void> {
  try {
    await exec(['chroot', rootfs, ...argv], { captureStdout: true });
  } catch (e) {
    throw new StepFailure(`kubelet nodes: ${argv[0]} does not run in its image: ${(e as Error).message}`);
  }
}
