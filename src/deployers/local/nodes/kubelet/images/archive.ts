// Images without a registry: each image is a stack of layer tars in the cache (content-addressed, so a base
// shared by several images is stored and imported once) and a config; the nodes import one docker-archive
// bundle of every image (`ctr images import`), written once per set of images.
import { createHash } from 'node:crypto';
import {
  existsSync,
  linkSync,
  copyFileSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { create as tarCreate } from 'tar';
import { existingPath, makeOnce } from '../../../../../release/build/gotool.js';

export interface ImageConfig {
  entrypoint?: string[];
  cmd?: string[];
  user?: string;
  workingDir?: string;
  stopSignal?: string;
}

export interface ImageRef {
  /** registry.k8s.io/pause:3.10.2 */
  name: string;
  /** sha256 hex digests of the uncompressed layer tars, bottom first. */
  layers: string[];
  config: ImageConfig;
}

export interface ImageSpec extends ImageConfig {
  name: string;
  /** What the image's own layer is made from: its digest keys the cache. */
  sourceDigest: string;
  /** The image this one is built on (its layers below this one's, its config inherited). */
  base?: ImageRef;
  /** Fills this image's own layer (an empty directory). */
  fill(rootfs: string): Promise<void>;
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export function layerPath(cacheDir: string, digest: string): string {
  return join(cacheDir, 'images', 'layers', `${digest}.tar`);
}

/** Docker's rule: an image that sets an entrypoint drops its base's cmd. */
export function inheritConfig(base: ImageConfig | undefined, own: ImageConfig): ImageConfig {
  const merged: ImageConfig = { ...base };
  if (own.entrypoint) {
    merged.entrypoint = own.entrypoint;
    delete merged.cmd;
  }
  for (const k of ['cmd', 'user', 'workingDir', 'stopSignal'] as const) if (own[k]) merged[k] = own[k] as never;
  return merged;
}

async function writeLayer(cacheDir: string, rootfs: string): Promise<string> {
  const dir = join(cacheDir, 'images', 'layers');
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.layer-${process.pid}-${Date.now()}.tar`);
  await tarCreate({ file: tmp, cwd: rootfs, portable: true, noMtime: true }, ['.']);
  const digest = sha256(readFileSync(tmp));
  if (existsSync(layerPath(cacheDir, digest))) rmSync(tmp);
  else renameSync(tmp, layerPath(cacheDir, digest));
  return digest;
}

/** Builds the image's layer once per (name, source, base); later calls read the recorded result. */
export async function cachedImage(cacheDir: string, spec: ImageSpec): Promise<ImageRef> {
  const own: ImageConfig = {
    entrypoint: spec.entrypoint,
    cmd: spec.cmd,
    user: spec.user,
    workingDir: spec.workingDir,
    stopSignal: spec.stopSignal,
  };
  const key = sha256(JSON.stringify([spec.name, spec.sourceDigest, spec.base ?? null, own]));
  const base = spec.name.replace(/^.*\//, '').replace(/[^A-Za-z0-9._-]/g, '_');
  const meta = join(cacheDir, 'images', 'meta', `${base}-${key.slice(0, 16)}.json`);
  return makeOnce(
    meta,
    () => readRecorded(cacheDir, meta),
    async () => {
      const rootfs = `${meta}.rootfs`;
      rmSync(rootfs, { recursive: true, force: true });
      mkdirSync(rootfs, { recursive: true });
      await spec.fill(rootfs);
      const layer = await writeLayer(cacheDir, rootfs);
      rmSync(rootfs, { recursive: true, force: true });
      const ref: ImageRef = {
        name: spec.name,
        layers: [...(spec.base?.layers ?? []), layer],
        config: inheritConfig(spec.base?.config, own),
      };
      writeFileSync(`${meta}.tmp`, JSON.stringify(ref));
      renameSync(`${meta}.tmp`, meta);
      return ref;
    },
  );
}

/** A recorded image whose layers are all still in the cache (else it is built again). */
function readRecorded(cacheDir: string, meta: string): ImageRef | undefined {
  if (!existsSync(meta)) return undefined;
  try {
    const ref = JSON.parse(readFileSync(meta, 'utf8')) as ImageRef;
    if (ref.layers.every((d) => /^[0-9a-f]{64}$/.test(d) && existsSync(layerPath(cacheDir, d)))) return ref;
  } catch {
    // a torn or foreign file: rebuild
  }
  return undefined;
}

export function dockerConfig(ref: ImageRef): string {
  const c = ref.config;
  return JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    config: {
      Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      ...(c.entrypoint ? { Entrypoint: c.entrypoint } : {}),
      ...(c.cmd ? { Cmd: c.cmd } : {}),
      ...(c.user ? { User: c.user } : {}),
      ...(c.workingDir ? { WorkingDir: c.workingDir } : {}),
      ...(c.stopSignal ? { StopSignal: c.stopSignal } : {}),
    },
    rootfs: { type: 'layers', diff_ids: ref.layers.map((d) => `sha256:${d}`) },
    history: ref.layers.map(() => ({ created_by: `kubetest: ${ref.name}` })),
  });
}

function linkOrCopy(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

/** One docker-archive (`docker save` layout) holding every image, each layer once; cached per image set. */
export async function imageBundle(cacheDir: string, refs: ImageRef[]): Promise<string> {
  const configs = refs.map((r) => dockerConfig(r));
  const out = join(cacheDir, 'images', 'bundles', `${sha256(configs.join('\n')).slice(0, 24)}.tar`);
  return makeOnce(out, existingPath(out), async () => {
    const work = `${out}.d`;
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    const entries = new Set<string>(['manifest.json']);
    const manifest = refs.map((ref, i) => {
      const configName = `${sha256(configs[i]!)}.json`;
      writeFileSync(join(work, configName), configs[i]!);
      entries.add(configName);
      for (const d of ref.layers) {
        if (entries.has(d)) continue;
        mkdirSync(join(work, d));
        linkOrCopy(layerPath(cacheDir, d), join(work, d, 'layer.tar'));
        entries.add(d);
      }
      return { Config: configName, RepoTags: [ref.name], Layers: ref.layers.map((d) => `${d}/layer.tar`) };
    });
    writeFileSync(join(work, 'manifest.json'), JSON.stringify(manifest));
    await tarCreate({ file: `${out}.tmp`, cwd: work, portable: true }, [...entries]);
    renameSync(`${out}.tmp`, out);
    rmSync(work, { recursive: true, force: true });
    return out;
  });
}
