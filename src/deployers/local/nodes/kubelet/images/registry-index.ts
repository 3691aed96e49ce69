// The registry's index of the run's images (registry.ts serves it): OCI manifests and configs written as files
// beside it, layers where the cache has them. Written once per image set.
import { mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { existingPath, makeOnce } from '../../../../../release/build/gotool.js';
import { dockerConfig, layerPath, sha256, type ImageRef } from './archive.js';
import type { RegistryIndex } from './registry.js';

const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const CONFIG = 'application/vnd.oci.image.config.v1+json';
const LAYER = 'application/vnd.oci.image.layer.v1.tar';

/** registry.k8s.io/e2e-test-images/kitten:1.8 → ["registry.k8s.io", "e2e-test-images/kitten", "1.8"] */
export function splitName(name: string): [string, string, string] {
  const slash = name.indexOf('/');
  const colon = name.lastIndexOf(':');
  return [name.slice(0, slash), name.slice(slash + 1, colon), name.slice(colon + 1)];
}

/** Written under a lock: two runs starting at once on a cold cache must not tear each other's files. */
export async function writeRegistryIndex(cacheDir: string, refs: ImageRef[]): Promise<string> {
  const configs = refs.map((r) => dockerConfig(r));
  const dir = join(cacheDir, 'images', 'registry', sha256(configs.join('\n')).slice(0, 24));
  const indexFile = join(dir, 'index.json');
  mkdirSync(dir, { recursive: true });
  return makeOnce(indexFile, existingPath(indexFile), async () => writeIndex(cacheDir, refs, configs, dir));
}

function writeIndex(cacheDir: string, refs: ImageRef[], configs: string[], dir: string): string {
  const indexFile = join(dir, 'index.json');
  const index: RegistryIndex = { tags: {}, blobs: {} };
  const blob = (content: string, mediaType: string) => {
    const digest = `sha256:${sha256(content)}`;
    const path = join(dir, digest.replace(':', '-'));
    writeFileSync(path, content);
    index.blobs[digest] = { path, mediaType };
    return { mediaType, digest, size: Buffer.byteLength(content) };
  };
  refs.forEach((ref, i) => {
    const layers = ref.layers.map((d) => {
      const path = layerPath(cacheDir, d);
      index.blobs[`sha256:${d}`] = { path, mediaType: LAYER };
      return { mediaType: LAYER, digest: `sha256:${d}`, size: statSync(path).size };
    });
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: MANIFEST,
      config: blob(configs[i]!, CONFIG),
      layers,
    });
    const [host, repo, tag] = splitName(ref.name);
    (index.tags[`${host}/${repo}`] ??= {})[tag] = blob(manifest, MANIFEST).digest;
  });
  writeFileSync(`${indexFile}.tmp`, JSON.stringify(index));
  renameSync(`${indexFile}.tmp`, indexFile);
  return indexFile;
}

/** containerd's hosts.toml for one registry host: our registry only, so no pull leaves the run. */
export function hostsToml(registryUrl: string): string {
  return `server = "${registryUrl}"\n\n[host."${registryUrl}"]\n  capabilities = ["pull", "resolve"]\n`;
}
