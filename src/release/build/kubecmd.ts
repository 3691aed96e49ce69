// One more command of the Kubernetes module at a release's version, built like the release's own binaries
// (the wrapper module with the staging replaces, version ldflags) and cached by version and Go version:
// <cache>/tools/<name>-<version>-<go>/<name>. Used for kubemark's hollow nodes, which releases do not ship.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandError, StepFailure } from '../../process/errors.js';
import { goCacheEnv, kubeWrapperGoMod } from './goenv.js';
import { withLock, type Exec } from './gotool.js';
import { downloadKubeModule, goEnvValue, moduleCommit, versionLdflags } from './module.js';

export interface KubeCommand {
  /** Binary name, e.g. "kubemark". */
  name: string;
  /** Package below k8s.io/kubernetes, e.g. "cmd/kubemark". */
  pkg: string;
}

export async function buildKubeCommand(
  exec: Exec,
  cacheDir: string,
  env: NodeJS.ProcessEnv,
  version: string,
  cmd: KubeCommand,
  log: (m: string) => void = () => undefined,
): Promise<string> {
  const goEnv = goCacheEnv(cacheDir, env);
  const goVersion = await goEnvValue(exec, goEnv, 'GOVERSION');
  const dir = join(cacheDir, 'tools', `${cmd.name}-${version}-${goVersion}`);
  const out = join(dir, cmd.name);
  if (existsSync(out)) return out;
  return withLock(dir, async () => {
    if (existsSync(out)) return out;
    const t0 = Date.now();
    log(`building ${cmd.name} ${version} from k8s.io/kubernetes/${cmd.pkg} (once per version)`);
    const work = join(cacheDir, 'work', `${cmd.name}-${version}`);
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    const pkg = `k8s.io/kubernetes/${cmd.pkg}`;
    try {
      const mod = await downloadKubeModule(exec, goEnv, cacheDir, version);
      writeFileSync(join(work, 'go.mod'), kubeWrapperGoMod(version, readFileSync(mod.GoMod, 'utf8')));
      const info = JSON.parse(readFileSync(mod.Info, 'utf8')) as { Time?: string };
      await exec(['go', 'get', `k8s.io/kubernetes@${version}`, `${pkg}@${version}`], { cwd: work, env: goEnv });
      const ldflags = versionLdflags(version, info.Time ?? '1970-01-01T00:00:00Z', moduleCommit(work, version));
      mkdirSync(dir, { recursive: true });
      const tmp = join(dir, `.${cmd.name}.tmp`);
      await exec(['go', 'build', '-trimpath', '-tags', 'selinux,notest', '-ldflags', ldflags, '-o', tmp, pkg], {
        cwd: work,
        env: goEnv,
      });
      renameSync(tmp, out);
    } catch (e) {
      if (e instanceof StepFailure) throw e;
      const tail = e instanceof CommandError ? e.failure.tail : undefined;
      throw new StepFailure(`building ${pkg}@${version} failed: ${(e as Error).message.split('\n')[0]}`, tail);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    log(`built ${cmd.name} ${version} in ${((Date.now() - t0) / 1000).toFixed(0)}s`);
    return out;
  });
}
