// The node tools of kubelet nodes, built from their Go modules into the cache (keyed by version): containerd,
// ctr and the runc shim (containerd 2.x: the Debian containerd is too old for kubelet 1.36), and the CNI
// plugins the nodes use. runc, iptables, ip and nsenter come from Debian (hack/install-debs.sh).
import { existsSync, mkdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildGoTool,
  existingPath,
  makeOnce,
  toolPath,
  type Exec,
  type GoToolSpec,
} from '../../../../release/build/gotool.js';

export const CONTAINERD_VERSION = 'v2.4.2';
export const CNI_PLUGINS_VERSION = 'v1.9.1';

const CONTAINERD_MODULE = 'github.com/containerd/containerd/v2';
const CNI_MODULE = 'github.com/containernetworking/plugins';
const CNI_PLUGINS = {
  bridge: 'main/bridge',
  'host-local': 'ipam/host-local',
  loopback: 'main/loopback',
  portmap: 'meta/portmap',
};

export interface NodeTools {
  containerd: string;
  ctr: string;
  shim: string;
  /** A directory holding containerd, ctr and containerd-shim-runc-v2 (containerd finds its shim on PATH). */
  binDir: string;
  /** bridge, host-local, loopback, portmap */
  cniBinDir: string;
}

export function nodeToolSpecs(): GoToolSpec[] {
  const containerd = ['containerd', 'ctr', 'containerd-shim-runc-v2'].map((name) => ({
    name,
    module: CONTAINERD_MODULE,
    pkg: `${CONTAINERD_MODULE}/cmd/${name}`,
    version: CONTAINERD_VERSION,
    buildFlags: ['-tags', 'no_btrfs'],
    ldflags: `-s -w -X ${CONTAINERD_MODULE}/version.Version=${CONTAINERD_VERSION}`,
  }));
  const cni = Object.entries(CNI_PLUGINS).map(([name, rel]) => ({
    name,
    module: CNI_MODULE,
    pkg: `${CNI_MODULE}/plugins/${rel}`,
    version: CNI_PLUGINS_VERSION,
  }));
  return [...containerd, ...cni];
}

/** Builds what is missing, one at a time (a Go build takes both cores), and links the bin directories. */
export async function resolveNodeTools(cacheDir: string, exec: Exec, env: NodeJS.ProcessEnv): Promise<NodeTools> {
  const built = new Map<string, string>();
  for (const spec of nodeToolSpecs()) {
    const p = toolPath(cacheDir, spec);
    built.set(spec.name, existsSync(p) ? p : await buildGoTool(exec, cacheDir, spec, env));
  }
  const binDir = await linkDir(join(cacheDir, 'tools', `containerd-bin-${CONTAINERD_VERSION}`), [
    'containerd',
    'ctr',
    'containerd-shim-runc-v2',
  ]);
  const cniBinDir = await linkDir(join(cacheDir, 'tools', `cni-bin-${CNI_PLUGINS_VERSION}`), Object.keys(CNI_PLUGINS));
  return {
    containerd: built.get('containerd')!,
    ctr: built.get('ctr')!,
    shim: built.get('containerd-shim-runc-v2')!,
    binDir,
    cniBinDir,
  };

  async function linkDir(dir: string, names: string[]): Promise<string> {
    return makeOnce(dir, existingPath(dir), async () => {
      const tmp = `${dir}.tmp`;
      rmSync(tmp, { recursive: true, force: true });
      mkdirSync(tmp, { recursive: true });
      for (const n of names) symlinkSync(built.get(n)!, join(tmp, n));
      renameSync(tmp, dir);
      return dir;
    });
  }
}
