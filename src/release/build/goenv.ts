// The Go environment for every build we run: module and build caches outside the repo, no workspace,
// module mode, static binaries.
import { join } from 'node:path';

export function goCacheEnv(cacheDir: string, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    ...base,
    GOMODCACHE: base['KUBETEST_GOMODCACHE'] || join(cacheDir, 'go', 'mod'),
    GOCACHE: base['KUBETEST_GOCACHE'] || join(cacheDir, 'go', 'build'),
    GOFLAGS: '-mod=mod -buildvcs=false',
    GOWORK: 'off',
    CGO_ENABLED: '0',
    GOPROXY: base['GOPROXY'] || 'https://proxy.golang.org,direct',
  };
}

/** k8s.io/kubernetes v1.36.3 → staging modules at v0.36.3 (pre-releases keep their suffix). */
export function stagingVersion(kubeVersion: string): string {
  const m = /^v1\.(\d+)\.(\d+)(-.*)?$/.exec(kubeVersion);
  if (!m) throw new Error(`not a Kubernetes 1.x version: ${kubeVersion}`);
  return `v0.${m[1]}.${m[2]}${m[3] ?? ''}`;
}

/** Staging module names from the `replace k8s.io/x => ./staging/src/k8s.io/x` block of k/k's go.mod. */
export function stagingModules(kubeGoMod: string): string[] {
  const names = new Set<string>();
  for (const m of kubeGoMod.matchAll(
    /^\s*(?:replace\s+)?(k8s\.io\/[\w.-]+)\s+=>\s+\.\/staging\/src\/k8s\.io\/[\w.-]+\s*$/gm,
  )) {
    names.add(m[1]!);
  }
  return [...names].sort();
}

/** A `require` version from a go.mod. */
export function requiredVersion(goMod: string, module: string): string | undefined {
  const esc = module.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^\\s*(?:require\\s+)?${esc}\\s+(v\\S+)`, 'm').exec(goMod)?.[1];
}

export function goDirective(goMod: string): { go?: string; godebug?: string } {
  const go = /^go\s+(\S+)/m.exec(goMod)?.[1];
  const godebug = /^godebug\s+(.+)$/m.exec(goMod)?.[1]?.trim();
  return { ...(go ? { go } : {}), ...(godebug ? { godebug } : {}) };
}

/** The wrapper module that builds k8s.io/kubernetes at `version` from the module proxy. */
export function kubeWrapperGoMod(version: string, kubeGoMod: string): string {
  const { go, godebug } = goDirective(kubeGoMod);
  const sv = stagingVersion(version);
  const lines = ['module local/kubetest-build', '', `go ${go ?? '1.24.0'}`, ''];
  if (godebug) lines.push(`godebug ${godebug}`, '');
  lines.push(`require k8s.io/kubernetes ${version}`, '', 'replace (');
  for (const m of stagingModules(kubeGoMod)) lines.push(`\t${m} => ${m} ${sv}`);
  lines.push(')', '');
  return lines.join('\n');
}
