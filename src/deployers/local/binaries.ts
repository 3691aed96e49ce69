// Which binaries the local cluster runs: the release's own (extracted or built), etcd from the release
// (our --build=module ships it) or built from the version that release pins, and kwok built from its module.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StepFailure } from '../../process/errors.js';
import { goCacheEnv, requiredVersion } from '../../release/build/goenv.js';
import { buildGoTool, toolPath, type Exec } from '../../release/build/gotool.js';
import { findReleaseBinary } from '../../release/find-binary.js';

export const KWOK_VERSION = 'v0.8.0';
const KWOK_STAGES = [
  'node/fast/node-initialize.yaml',
  'node/heartbeat-with-lease/node-heartbeat-with-lease.yaml',
  'pod/fast/pod-ready.yaml',
  'pod/fast/pod-complete.yaml',
  'pod/fast/pod-delete.yaml',
];

export interface LocalBinaries {
  etcd: string;
  apiserver: string;
  controllerManager: string;
  scheduler: string;
  kubectl: string;
}

export function releaseBinary(kubeRoot: string, name: string): string {
  const p = findReleaseBinary(kubeRoot, name);
  if (!p) {
    throw new StepFailure(
      `missing binary ${name} in ${kubeRoot} (looked in server/bin, platforms/, _output/): extract a release ` +
        `(--extract) or build one (--build=module) first`,
    );
  }
  return p;
}

export function releaseVersion(kubeRoot: string): string | undefined {
  const f = join(kubeRoot, 'version');
  return existsSync(f) ? readFileSync(f, 'utf8').trim() : undefined;
}

export async function resolveEtcd(
  kubeRoot: string,
  cacheDir: string,
  exec: Exec,
  env: NodeJS.ProcessEnv,
): Promise<string> {
  for (const rel of ['third_party/etcd/etcd', 'server/bin/etcd', '_output/bin/etcd']) {
    const p = join(kubeRoot, rel);
    if (existsSync(p)) return p;
  }
  const version = releaseVersion(kubeRoot);
  if (!version)
    throw new StepFailure(
      `no etcd in ${kubeRoot} and no ./version to pick one: use a release built by --build=module, or put etcd in ` +
        `${join(kubeRoot, 'third_party/etcd/')}`,
    );
  // The etcd that this Kubernetes version pins, built from its module.
  const goEnv = goCacheEnv(cacheDir, env);
  let etcdVersion: string | undefined;
  try {
    const r = await exec(['go', 'mod', 'download', '-json', `k8s.io/kubernetes@${version.replace(/\+.*$/, '')}`], {
      env: goEnv,
      captureStdout: true,
      cwd: cacheDir,
    });
    const { GoMod } = JSON.parse(r.stdout) as { GoMod: string };
    etcdVersion = requiredVersion(readFileSync(GoMod, 'utf8'), 'go.etcd.io/etcd/server/v3');
  } catch {
    etcdVersion = undefined;
  }
  if (!etcdVersion)
    throw new StepFailure(`no etcd in ${kubeRoot}, and the etcd version pinned by ${version} is unknown`);
  return buildGoTool(exec, cacheDir, { name: 'etcd', module: 'go.etcd.io/etcd/server/v3', version: etcdVersion }, env);
}

export async function resolveKwok(
  cacheDir: string,
  exec: Exec,
  env: NodeJS.ProcessEnv,
): Promise<{ binary: string; stages: string }> {
  const spec = {
    name: 'kwok',
    module: 'sigs.k8s.io/kwok',
    pkg: 'sigs.k8s.io/kwok/cmd/kwok',
    version: KWOK_VERSION,
    ldflags: `-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK_VERSION}`,
  };
  const binary = existsSync(toolPath(cacheDir, spec))
    ? toolPath(cacheDir, spec)
    : await buildGoTool(exec, cacheDir, spec, env);
  const stages = join(cacheDir, 'tools', `kwok-${KWOK_VERSION}`, 'stages.yaml');
  if (!existsSync(stages)) {
    const modDir = join(
      goCacheEnv(cacheDir, env)['GOMODCACHE']!,
      `sigs.k8s.io/kwok@${KWOK_VERSION}`,
      'kustomize',
      'stage',
    );
    if (!existsSync(modDir)) {
      await exec(['go', 'mod', 'download', `sigs.k8s.io/kwok@${KWOK_VERSION}`], {
        env: goCacheEnv(cacheDir, env),
        cwd: cacheDir,
      });
    }
    const docs = KWOK_STAGES.map((f) => readFileSync(join(modDir, f), 'utf8').trim());
    writeFileSync(stages, docs.join('\n---\n') + '\n');
  }
  return { binary, stages };
}
