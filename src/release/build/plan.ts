// What the Build step runs (kubetest's make targets, ../shared/reference/kubetest.md §6, or --build=module), known
// without running it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RunConfig } from '../../run/config.js';
import { kubeBinaries } from './binaries.js';

const MAKE_TARGET: Record<string, string> = {
  quick: 'quick-release',
  release: 'release',
  'host-go': 'all',
  bazel: 'bazel-release',
  e2e: 'bazel-release',
};

/** The k/k checkout for make builds: the kube root if it is one, else $GOPATH/src/k8s.io/kubernetes. */
export function kubeSourceTree(kubeRoot: string, env: NodeJS.ProcessEnv): string {
  if (existsSync(join(kubeRoot, 'hack', 'lib', 'golang.sh')) && existsSync(join(kubeRoot, 'Makefile'))) return kubeRoot;
  const gopath = (env['GOPATH'] || join(env['HOME'] ?? '', 'go')).split(':')[0]!;
  return join(gopath, 'src', 'k8s.io', 'kubernetes');
}

export function buildCommands(
  cfg: RunConfig,
  kubeRoot = cfg.workDir,
  env: NodeJS.ProcessEnv = process.env,
): string[][] {
  const b = cfg.build;
  if (b === '' || b === 'none') return [];
  if (b === 'module') {
    const v = cfg.buildVersion;
    return [
      ['go', 'mod', 'download', '-json', `k8s.io/kubernetes@${v}`],
      ['go', 'get', `k8s.io/kubernetes@${v}`, '...'],
      ...kubeBinaries('<pinned>').map((x) => [
        'go',
        x.test ? 'test' : 'build',
        ...(x.test ? ['-c'] : []),
        '-trimpath',
        ...(x.plain ? [] : ['-tags', 'selinux,notest']),
        '-ldflags',
        '<version ldflags>',
        '-o',
        `bin/linux/amd64/${x.name}`,
        x.pkg,
      ]),
      ['go', 'build', '-trimpath', '-o', 'bin/linux/amd64/etcd', 'go.etcd.io/etcd/server/v3'],
    ];
  }
  const tree = kubeSourceTree(kubeRoot, env);
  if (b === 'gce-windows-bazel') {
    return [
      ['bazel', 'build', '--config=cross:linux_amd64', '//build/release-tars'],
      ['bazel', 'build', '--config=cross:windows_amd64', '//build/release-tars'],
    ];
  }
  return [['make', '-C', tree, MAKE_TARGET[b]!]];
}
