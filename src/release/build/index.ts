// The Build step: kubetest's make targets in a kubernetes/kubernetes tree (reference §6), or --build=module.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RunConfig } from '../../cli/config.js';
import { StepFailure } from '../../process/errors.js';
import { startActivity } from '../../run/progress.js';
import type { StepContext } from '../../run/step.js';
import { buildModuleRelease, kubeBinaries } from './module.js';

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

export function buildCommands(cfg: RunConfig, kubeRoot = cfg.workDir, env: NodeJS.ProcessEnv = process.env): string[][] {
  const b = cfg.build;
  if (b === '' || b === 'none') return [];
  if (b === 'module') {
    const v = cfg.buildVersion;
    return [
      ['go', 'mod', 'download', '-json', `k8s.io/kubernetes@${v}`],
      ['go', 'get', `k8s.io/kubernetes@${v}`, '...'],
      ...kubeBinaries('<pinned>').map((x) => [
        'go', x.test ? 'test' : 'build', ...(x.test ? ['-c'] : []), '-trimpath', ...(x.plain ? [] : ['-tags', 'selinux,notest']), '-ldflags', '<version ldflags>', '-o', `bin/linux/amd64/${x.name}`, x.pkg,
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

export async function runBuild(sc: StepContext): Promise<void> {
  const { cfg } = sc.run;
  if (cfg.build === 'none') return;
  if (cfg.build === 'module') {
    const activity = startActivity(sc.run.log, sc.stepName, `building Kubernetes ${cfg.buildVersion} from Go modules`);
    try {
      const built = await buildModuleRelease({
        version: cfg.buildVersion,
        cacheDir: cfg.cacheDir,
        outputDir: cfg.buildOutput,
        exec: (argv, opts) => sc.exec(argv, { ...opts, verbose: false }),
        env: sc.run.env,
        log: sc.log,
        progress: (d) => activity.update(d),
        logFile: sc.logFile,
      });
      sc.run.builtRelease = { version: built.version, dir: built.stageDir };
      activity.done(`release ${built.version} ready in ${built.stageDir}`);
    } catch (e) {
      activity.done();
      throw e;
    }
  } else {
    const tree = kubeSourceTree(sc.run.kubeRoot, sc.run.env);
    if (!existsSync(join(tree, 'Makefile'))) {
      throw new StepFailure(`--build=${cfg.build} needs a kubernetes/kubernetes checkout at ${tree} (or use --build=module)`);
    }
    for (const argv of buildCommands(cfg, sc.run.kubeRoot, sc.run.env)) await sc.exec(argv, { cwd: tree });
  }
  if (cfg.values.get('flush-mem-after-build') || sc.run.env['KUBETEST_IN_DOCKER'] === 'true') {
    await sc.exec(['sync']);
  }
}
