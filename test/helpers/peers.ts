// The real peers the tests run against, built from Go modules into the cache (hack/build-peers.sh).
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_BUILD_VERSION } from '../../src/cli/config.js';
import type { ImageRef } from '../../src/deployers/local/nodes/kubelet/images/archive.js';
import type { KubeImages } from '../../src/deployers/local/nodes/kubelet/images/catalog.js';
import type { NodeTools } from '../../src/deployers/local/nodes/kubelet/tools.js';

export interface Peers {
  cacheDir: string;
  release: { version: string; dir: string };
  /** A second, older minor for skew and upgrade. */
  oldRelease: { version: string; dir: string };
  kwok: string;
  fakeGcs: string;
  gofakes3: string;
  /** The Boskos server (run with --in_memory). */
  boskos: string;
  /** kubelet nodes: containerd and the CNI plugins, and the images imported into every node. */
  nodeTools?: NodeTools;
  images?: KubeImages & { coredns: ImageRef };
}

export const PEER_TOOLS = {
  fakeGcs: { name: 'fake-gcs-server', module: 'github.com/fsouza/fake-gcs-server', version: 'v1.55.1' },
  gofakes3: {
    name: 'gofakes3',
    module: 'github.com/johannesboyne/gofakes3',
    pkg: 'github.com/johannesboyne/gofakes3/cmd/gofakes3',
    version: 'v1.2.0',
  },
  boskos: {
    name: 'boskos',
    module: 'sigs.k8s.io/boskos',
    pkg: 'sigs.k8s.io/boskos/cmd/boskos',
    version: 'v0.0.0-20250908171729-5e4ab7284e90',
  },
} as const;

export function cacheDir(): string {
  return process.env['KUBETEST_CACHE_DIR'] || join(homedir(), '.cache', 'kubetest');
}

export function peersFile(dir = cacheDir()): string {
  return join(dir, 'peers.json');
}

/** The peers recorded by hack/build-peers.sh. Throws (the test fails, never skips) when they are missing. */
export function peers(): Peers {
  const f = peersFile();
  if (!existsSync(f)) throw new Error(`${f} is missing: run hack/build-peers.sh (npm test does)`);
  return JSON.parse(readFileSync(f, 'utf8')) as Peers;
}

export const TEST_RELEASE_VERSION = DEFAULT_BUILD_VERSION;
export const OLD_RELEASE_VERSION = 'v1.35.4';
