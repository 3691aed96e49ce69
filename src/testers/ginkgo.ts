// The default tester: hack/ginkgo-e2e.sh in the kube root when it is there (kubetest's behaviour), else
// ginkgo + e2e.test found in the release tree, run the way ginkgo-e2e.sh would run them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { StepContext } from '../api/context.js';
import type { Tester, TestTarget } from '../api/tester.js';
import { StepFailure } from '../process/errors.js';
import type { RunConfig } from '../run/config.js';
import { findReleaseBinary, PLATFORM } from '../release/find-binary.js';

export interface GinkgoInputs {
  cfg: RunConfig;
  kubeRoot: string;
  env: NodeJS.ProcessEnv;
  /** Extra args a deployer adds (e.g. --num-nodes). */
  extraArgs?: string[];
  /** Plan time: the extract will create hack/ginkgo-e2e.sh. */
  scriptPresent?: boolean;
  /** For skew/upgrade runs: the report prefix suffix. */
  reportPrefix?: string;
}

/** --test_args plus kubetest's defaults, each appended only when the user did not give it. */
export function e2eArgs(inp: GinkgoInputs): string[] {
  const args = [...inp.cfg.testArgs];
  const has = (flag: string) =>
    args.some(
      (a) =>
        a === flag ||
        a.startsWith(`${flag}=`) ||
        a === `-${flag.replace(/^--/, '')}` ||
        a.startsWith(`-${flag.replace(/^--/, '')}=`),
    );
  if (inp.cfg.dump) {
    if (!has('--report-dir')) args.push(`--report-dir=${inp.cfg.dump}`);
    if (!has('--disable-log-dump')) args.push('--disable-log-dump=true');
  }
  for (const extra of inp.extraArgs ?? []) if (!has(extra.split('=')[0]!)) args.push(extra);
  if (inp.reportPrefix !== undefined) {
    const i = args.findIndex((a) => a.startsWith('--report-prefix='));
    if (i >= 0) args[i] = `${args[i]}-${inp.reportPrefix}`;
    else args.push(`--report-prefix=${inp.reportPrefix}`);
  }
  return args;
}

export function ginkgoScript(kubeRoot: string): string | undefined {
  const p = join(kubeRoot, 'hack', 'ginkgo-e2e.sh');
  return existsSync(p) ? p : undefined;
}

/** Why the tests cannot run from this tree, or undefined when they can. */
export function missingTestBinaries(kubeRoot: string): string | undefined {
  if (ginkgoScript(kubeRoot)) return undefined;
  const missing = ['ginkgo', 'e2e.test'].filter((b) => !findReleaseBinary(kubeRoot, b));
  if (missing.length === 0) return undefined;
  return (
    `no hack/ginkgo-e2e.sh and no ${missing.join(' or ')} in ${kubeRoot}: extract a release (--extract) or ` +
    `build one first`
  );
}

export function ginkgoArgv(inp: GinkgoInputs): string[] {
  const args = e2eArgs(inp);
  const script = inp.scriptPresent ?? ginkgoScript(inp.kubeRoot);
  if (script) return ['./hack/ginkgo-e2e.sh', ...args];
  const ginkgo = findReleaseBinary(inp.kubeRoot, 'ginkgo') ?? 'ginkgo';
  const e2e = findReleaseBinary(inp.kubeRoot, 'e2e.test') ?? join(inp.kubeRoot, `platforms/${PLATFORM}/e2e.test`);
  const kubeconfig = inp.env['KUBECONFIG'];
  const provider = inp.env['KUBERNETES_CONFORMANCE_TEST']
    ? inp.env['KUBERNETES_CONFORMANCE_PROVIDER'] || 'skeleton'
    : inp.cfg.provider || 'skeleton';
  const nodes = inp.env['GINKGO_PARALLEL_NODES'] ?? String(inp.cfg.ginkgoParallel);
  return [
    ginkgo,
    `--nodes=${nodes}`,
    '--timeout=24h',
    '--no-color',
    e2e,
    '--',
    ...(kubeconfig ? [`--kubeconfig=${kubeconfig}`] : []),
    `--provider=${provider}`,
    `--repo-root=${inp.kubeRoot}`,
    '--report-complete-ginkgo',
    '--report-complete-junit',
    ...args,
  ];
}

/** The default tester: e2e.test through hack/ginkgo-e2e.sh or ginkgo (kubetest's Test step). */
export class GinkgoTester implements Tester {
  readonly stepName = 'Test';
  constructor(
    private readonly cfg: RunConfig,
    private readonly extraArgs: string[],
    /** e2e's junit prefix, for a second e2e run of the same dump (kubemark). */
    private readonly reportPrefix?: string,
  ) {}

  argv(t: TestTarget): string[] {
    const planned = t.planning && this.cfg.extract.length > 0 && !existsSync(t.kubeRoot);
    return ginkgoArgv({
      cfg: this.cfg,
      kubeRoot: t.kubeRoot,
      env: t.env,
      extraArgs: this.extraArgs,
      ...(this.reportPrefix !== undefined ? { reportPrefix: this.reportPrefix } : {}),
      ...(planned ? { scriptPresent: true } : {}),
    });
  }

  async run(sc: StepContext): Promise<void> {
    const missing = missingTestBinaries(sc.kubeRoot);
    if (missing) throw new StepFailure(missing);
    // Loaded when the tests run: a dry run plans without them.
    const [{ checkVersionSkew }, { watchProgress }] = await Promise.all([
      import('./version-skew.js'),
      import('./ginkgo-progress.js'),
    ]);
    if (this.cfg.checkVersionSkew) await checkVersionSkew(sc, findReleaseBinary(sc.kubeRoot, 'kubectl'));
    const watch = watchProgress(sc, {
      tty: Boolean((sc.logger.stream as NodeJS.WriteStream).isTTY),
      everyMs: this.cfg.knobs.progressIntervalMs,
      streamed: this.cfg.verbose,
    });
    try {
      await sc.exec(this.argv({ kubeRoot: sc.kubeRoot, env: sc.env, planning: false }), { onOutput: watch.feed });
    } finally {
      watch.stop();
    }
  }
}
