// argv + environment → a validated RunConfig. Everything the rest of the program knows about the
// command line comes from here; nothing else reads process.argv or flag-related env vars.
import { homedir, hostname } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { parseGoDuration } from '../util/duration.js';
import { splitFields } from '../util/gostrings.js';
import { FLAGS, findFlag, HELP_NAMES, type FlagDef } from './flags.js';
import {
  expandEnv,
  parseGoArgs,
  parseGoBool,
  parseGoInt,
  UnknownFlagError,
  UnknownFlagUsageError,
  UsageError,
  type FlagShape,
} from './goflags.js';
import { readConfigFile } from './configfile.js';
import { ExtractParseError, parseExtract, type ExtractStrategy } from '../release/strategies.js';
import type { FlagValues } from '../api/flags.js';
import {
  DEFAULT_BUILD_VERSION,
  MAKE_BUILDS,
  type BuildStrategy,
  type RunConfig,
  type StageTarget,
} from '../run/config.js';
import { join } from 'node:path';
import { DEPLOYERS } from '../deployers/registry.js';
import { KnobError, readKnobs, type Knobs } from '../release/knobs.js';

export type FlagValue = string | number | boolean | string[];
export { UnknownFlagUsageError };

/** Each ginkgo node is an e2e.test process: more than this on one machine is a typo, not a plan. */
export const MAX_GINKGO_PARALLEL = 256;

export const DEPLOYMENTS: readonly string[] = DEPLOYERS.map((e) => e.name);
export { DEFAULT_BUILD_VERSION, MAKE_BUILDS } from '../run/config.js';
export type { BuildStrategy, RunConfig, StageTarget } from '../run/config.js';

const shapeOf = (name: string): FlagShape | undefined => {
  if (HELP_NAMES.has(name)) return 'bool';
  const f = findFlag(name);
  if (!f) return undefined;
  if (f.kind === 'bool') return 'bool';
  return f.bare !== undefined ? 'optional' : 'value';
};

function convert(def: FlagDef, raw: string, token: string): FlagValue {
  const bad = (why: string) => new UsageError(`invalid value ${JSON.stringify(raw)} for --${def.name}: ${why}`);
  switch (def.kind) {
    case 'bool': {
      const v = parseGoBool(raw);
      if (v === undefined) throw bad('want true or false');
      return v;
    }
    case 'int': {
      const v = parseGoInt(raw);
      if (v === undefined) throw bad('want an integer');
      return v;
    }
    case 'duration':
      try {
        parseGoDuration(raw);
      } catch (e) {
        throw bad(`${(e as Error).message} (examples: 90s, 45m, 1h30m)`);
      }
      return raw;
    default:
      void token;
      return raw;
  }
}

function defaultValue(def: FlagDef): FlagValue {
  if (def.kind === 'list') return [];
  if (def.kind === 'bool') return def.def === true;
  if (def.kind === 'int') return typeof def.def === 'number' ? def.def : 0;
  return typeof def.def === 'string' ? def.def : '';
}

export interface ParseContext {
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Parses a kubetest command line. Throws UsageError (exit 2) with a one-line message. */
export function parseCommandLine(argv: readonly string[], pc: ParseContext): RunConfig {
  let parsed;
  try {
    parsed = parseGoArgs(argv, shapeOf);
  } catch (e) {
    if (e instanceof UnknownFlagError) throw new UnknownFlagUsageError(e.flag, e.token.split('=')[0]!);
    throw e;
  }
  if (parsed.positional.length > 0) {
    const first = parsed.positional[0]!;
    const idx = argv.indexOf(first);
    const prev = idx > 0 ? argv[idx - 1]! : '';
    const prevFlag = findFlag(prev.replace(/^--?/, ''));
    if (prevFlag && (prevFlag.kind === 'bool' || prevFlag.bare !== undefined)) {
      throw new UsageError(
        `unexpected argument ${JSON.stringify(first)}: ${prev} takes its value only after "=", as in ${prev}=${first}`,
      );
    }
    throw new UsageError(`unexpected argument ${JSON.stringify(first)}: kubetest takes only flags (--name=value)`);
  }

  const values = new Map<string, FlagValue>();
  const given = new Set<string>();
  let help = false;
  for (const f of FLAGS) values.set(f.name, defaultValue(f));
  // --config first: the command line overrides what the file sets (a repeatable flag's list as a whole).
  const configFlag = parsed.flags.filter((rf) => rf.name === 'config').pop();
  if (configFlag?.value) {
    const path = isAbsolute(configFlag.value) ? configFlag.value : resolve(pc.cwd, configFlag.value);
    for (const [name, v] of readConfigFile(path, configFlag.value)) {
      values.set(name, v);
      given.add(name);
    }
  }
  const listsOnCommandLine = new Set<string>();
  for (const rf of parsed.flags) {
    if (HELP_NAMES.has(rf.name)) {
      help = true;
      continue;
    }
    const def = findFlag(rf.name)!;
    given.add(def.name);
    const raw = rf.value ?? (def.kind === 'bool' ? 'true' : def.bare!);
    const v = convert(def, raw, rf.token);
    if (def.kind === 'list') {
      if (!listsOnCommandLine.has(def.name)) values.set(def.name, []);
      listsOnCommandLine.add(def.name);
      (values.get(def.name) as string[]).push(v as string);
    } else values.set(def.name, v);
  }

  const env = pc.env;
  const deploymentGiven = given.has('deployment');
  // Env fallbacks for flags that were not given.
  for (const f of FLAGS) {
    if (given.has(f.name) || !f.env) continue;
    const e = env[f.env];
    if (e !== undefined && e !== '') values.set(f.name, convert(f, e, `$${f.env}`));
  }
  const str = (n: string) => values.get(n) as string;
  const bool = (n: string) => values.get(n) as boolean;
  const list = (n: string) => values.get(n) as string[];

  // --provider=gke implies --deployment=gke (kubetest required both; ../shared/reference/kubetest.md §14.12).
  if (!deploymentGiven && str('provider') === 'gke') values.set('deployment', 'gke');
  const deployment = str('deployment');
  if (!(DEPLOYMENTS as readonly string[]).includes(deployment)) {
    throw new UsageError(
      `invalid value ${JSON.stringify(deployment)} for --deployment: want one of ${DEPLOYMENTS.join(', ')}`,
    );
  }
  const gke = deployment === 'gke';
  if (!given.has('gcp-zone')) {
    const z = env[gke ? 'ZONE' : 'KUBE_GCE_ZONE'];
    if (z) values.set('gcp-zone', z);
  }
  if (!given.has('gcp-network')) {
    const n = env[gke ? 'KUBE_GKE_NETWORK' : 'KUBE_GCE_NETWORK'];
    if (n) values.set('gcp-network', n);
  }

  // --dry-run
  const dryRunRaw = str('dry-run');
  if (!['', 'text', 'json'].includes(dryRunRaw))
    throw new UsageError(`invalid value ${JSON.stringify(dryRunRaw)} for --dry-run: want text or json`);

  // --build
  let build = str('build') as string;
  if (build === 'true') build = 'quick';
  if (build === 'false') build = '';
  if (build !== '' && build !== 'none' && build !== 'module' && !(MAKE_BUILDS as readonly string[]).includes(build)) {
    throw new UsageError(
      `invalid value ${JSON.stringify(build)} for --build: want one of ` +
        `${[...MAKE_BUILDS, 'module', 'none'].join(', ')}`,
    );
  }
  const buildVersion = str('build-version') || DEFAULT_BUILD_VERSION;
  if (!/^v\d+\.\d+\.\d+(-[\w.]+)?$/.test(buildVersion)) {
    throw new UsageError(
      `invalid value ${JSON.stringify(buildVersion)} for --build-version: want a Kubernetes version like ` +
        `${DEFAULT_BUILD_VERSION}`,
    );
  }

  // --stage
  const stage = parseStage(str('stage'));

  // --extract
  const extractArgs = list('extract');
  if (extractArgs.length > 2) {
    throw new UsageError(
      `--extract given ${extractArgs.length} times: at most 2 (old and new release for skew/upgrade tests)`,
    );
  }
  const extract: ExtractStrategy[] = [];
  for (const a of extractArgs) {
    try {
      extract.push(parseExtract(expandEnv(a, env)));
    } catch (e) {
      if (e instanceof ExtractParseError)
        throw new UsageError(`invalid value ${JSON.stringify(a)} for --extract: ${e.message}`);
      throw e;
    }
  }
  if (bool('extract-source') && extract.length === 0) throw new UsageError('--extract-source needs --extract');
  if (Boolean(str('image-family')) !== Boolean(str('image-project'))) {
    throw new UsageError('--image-family and --image-project go together: give both or neither');
  }

  // --ginkgo-parallel, with kubetest's deprecated env fallbacks
  // As kubetest: the deprecated env vars win even over the flag (GINKGO_PARALLEL_NODES over GINKGO_PARALLEL=y).
  let parallelRaw = str('ginkgo-parallel');
  if (env['GINKGO_PARALLEL_NODES']) parallelRaw = env['GINKGO_PARALLEL_NODES'];
  else if (ginkgoParallelFromEnv(env)) parallelRaw = '25';
  if (parallelRaw === 'true') parallelRaw = '25';
  const ginkgoParallel = parseGoInt(parallelRaw);
  if (ginkgoParallel === undefined)
    throw new UsageError(`invalid value ${JSON.stringify(parallelRaw)} for --ginkgo-parallel: want an integer`);
  if (ginkgoParallel < 1)
    throw new UsageError(`invalid value ${JSON.stringify(parallelRaw)} for --ginkgo-parallel: must be >= 1`);
  if (ginkgoParallel > MAX_GINKGO_PARALLEL)
    throw new UsageError(
      `invalid value ${JSON.stringify(parallelRaw)} for --ginkgo-parallel: at most ${MAX_GINKGO_PARALLEL} ginkgo nodes`,
    );

  const timeoutMs = parseGoDuration(str('timeout'));
  const cleanupGraceMs = parseGoDuration(str('cleanup-grace'));
  if (timeoutMs < 0) throw new UsageError('--timeout must not be negative');
  if (cleanupGraceMs < 0) throw new UsageError('--cleanup-grace must not be negative');

  if (bool('soak') && !dryRunRaw)
    throw new UsageError('--soak is not implemented yet in this kubetest (--dry-run plans it)');
  if ((deployment === 'aks' || deployment === 'aksengine') && !dryRunRaw) {
    throw new UsageError(`--deployment=${deployment} is not implemented in this kubetest`);
  }

  const cwd = pc.cwd;
  const abs = (p: string) => (p === '' ? '' : isAbsolute(p) ? p : resolve(cwd, p));
  let dump = str('dump');
  // kind's deployer forces a dump dir ($ARTIFACTS or ./_artifacts), as kubetest does.
  if (deployment === 'kind' && !dump) dump = env['ARTIFACTS'] || '_artifacts';
  const cacheDir = abs(str('cache-dir')) || resolve(homedir(), '.cache', 'kubetest');
  let knobs: Knobs;
  try {
    knobs = readKnobs(env);
  } catch (e) {
    throw e instanceof KnobError ? new UsageError(e.message) : e;
  }

  const flags: FlagValues = {
    str,
    bool,
    int: (n) => values.get(n) as number,
    list,
    given: (n) => given.has(n),
  };
  const cfg: RunConfig = {
    argv,
    help,
    version: bool('version'),
    dryRun: dryRunRaw as RunConfig['dryRun'],
    flags,
    up: bool('up'),
    down: bool('down'),
    test: bool('test'),
    deployment,
    provider: str('provider'),
    cluster: str('cluster'),
    timeoutMs,
    cleanupGraceMs,
    verbose: bool('verbose-commands'),
    build: build as BuildStrategy,
    buildVersion,
    buildOutput: abs(str('build-output') || '_output'),
    flushMemAfterBuild: bool('flush-mem-after-build'),
    stage,
    stageSuffix: str('stage-suffix'),
    noAllowDup: bool('no-allow-dup'),
    extract,
    extractBaseUrl: str('extract-base-url').replace(/\/+$/, ''),
    extractCiBucket: str('extract-ci-bucket'),
    extractReleaseBucket: str('extract-release-bucket'),
    extractSource: bool('extract-source'),
    save: str('save'),
    upload: str('upload'),
    publish: str('publish'),
    dump: abs(dump),
    artifacts: abs(env['ARTIFACTS'] ?? ''),
    skipDumpClusterLogs: bool('skip-dump-cluster-logs'),
    dumpPreTestLogs: str('dump-pre-test-logs'),
    metadataSources: str('metadata-sources'),
    ginkgoParallel,
    testArgs: [...splitFields(str('test_args')), ...list('test-arg')],
    checkVersionSkew: bool('check-version-skew'),
    testCmd: {
      cmd: str('test-cmd'),
      args: list('test-cmd-args'),
      name: str('test-cmd-name'),
      preCmd: str('pre-test-cmd'),
      postCmd: str('post-test-cmd'),
    },
    upgradeArgs: str('upgrade_args'),
    skew: bool('skew'),
    nodeTests: bool('node-tests'),
    kubemark: bool('kubemark'),
    charts: bool('charts'),
    checkLeakedResources: bool('check-leaked-resources'),
    gcpServiceAccount: str('gcp-service-account'),
    gcpCloudSdk: str('gcp-cloud-sdk'),
    gkeCommandGroup: str('gke-command-group'),
    gcpProjectType: str('gcp-project-type'),
    boskos: {
      url: str('boskos-url'),
      owner: env['JOB_NAME'] || `kubetest-${hostname()}`,
      waitMs: parseGoDuration(str('boskos-wait-duration')),
      heartbeatMs: parseGoDuration(str('boskos-heartbeat')),
      leaseTtlMs: parseGoDuration(str('boskos-lease-ttl')),
    },
    given,
    explicit: Object.fromEntries([...given].filter((n) => n !== 'config').map((n) => [n, values.get(n)!] as const)),
    rerunFailed: abs(str('rerun-failed')),
    gcp: { project: str('gcp-project'), zone: str('gcp-zone'), region: str('gcp-region'), network: str('gcp-network') },
    workDir: cwd,
    runDir: abs(str('rundir')) || join(cwd, '_rundir'),
    cacheDir,
    exportEnv: {},
    knobs,
  };
  cfg.exportEnv = exportedEnv(cfg, env);
  if (cfg.upload) validateUpload(cfg.upload, cfg, env);
  validateBoskos(cfg.boskos);
  return cfg;
}

/** The Boskos flags: a plain http(s) URL without credentials; durations that make sense. */
function validateBoskos(b: RunConfig['boskos']): void {
  let u: URL | undefined;
  try {
    u = new URL(b.url);
  } catch {
    // below
  }
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:') || u.username || u.password || u.search || u.hash) {
    throw new UsageError(`invalid value ${JSON.stringify(b.url)} for --boskos-url: want http(s)://host[:port][/path]`);
  }
  if (b.heartbeatMs < 0 || (b.heartbeatMs > 0 && b.heartbeatMs < 1000))
    throw new UsageError('--boskos-heartbeat must be 0 (no heartbeat) or at least 1s');
  if (b.leaseTtlMs < 1000) throw new UsageError('--boskos-lease-ttl must be at least 1s');
  if (b.waitMs < 0) throw new UsageError('--boskos-wait-duration must not be negative');
}

/** --upload needs a store, a job and build to name the path, and artifacts to upload. */
function validateUpload(url: string, cfg: RunConfig, env: NodeJS.ProcessEnv): void {
  // Plain names only: what follows the bucket becomes object names and, for file://, a path on this machine.
  const ok =
    /^(gs|s3):\/\/[a-z0-9][a-z0-9._-]*(\/[A-Za-z0-9._/-]*)?$/.test(url) || /^file:\/\/\/[A-Za-z0-9._/-]+$/.test(url);
  const path = url.replace(/^[a-z0-9]+:\/\/[^/]*/, '');
  if (!ok || /(^|\/)\.\.?(\/|$)/.test(path) || /^file:\/\/\/(proc|sys|dev)(\/|$)/.test(url)) {
    throw new UsageError(
      `invalid value ${JSON.stringify(url)} for --upload: want gs://bucket[/path], s3://bucket[/path] or file:///dir`,
    );
  }
  for (const v of ['JOB_NAME', 'BUILD_ID']) {
    const val = env[v] ?? '';
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(val)) {
      throw new UsageError(`--upload needs $${v} (Prow sets it) to be a name without "/": got ${JSON.stringify(val)}`);
    }
  }
  if (!cfg.artifacts && !cfg.dump)
    throw new UsageError('--upload needs $ARTIFACTS or --dump: there is nothing to upload');
}

function parseStage(raw: string): StageTarget | undefined {
  if (!raw) return undefined;
  // gs://BUCKET/ci[/suffix]; for file:// the "bucket" is a directory: file:///srv/releases/ci.
  const m = raw.startsWith('file://')
    ? /^(file):\/\/(\/.*?)\/(ci|devel)(?:\/(.*))?$/.exec(raw)
    : /^(gs|s3):\/\/([^/]+)\/(ci|devel)(?:\/(.*))?$/.exec(raw);
  if (!m) {
    throw new UsageError(
      `invalid value ${JSON.stringify(raw)} for --stage: want gs://BUCKET/ci[/suffix] or gs://BUCKET/devel[/suffix] ` +
        `(s3:// and file:// also work)`,
    );
  }
  return { url: raw, scheme: m[1] as StageTarget['scheme'], bucket: m[2]!, ci: m[3] === 'ci', suffix: m[4] ?? '' };
}

/** GINKGO_PARALLEL=y (any case): kubetest's deprecated switch for 25 nodes; it unsets it for children. */
export function ginkgoParallelFromEnv(env: NodeJS.ProcessEnv): boolean {
  return (env['GINKGO_PARALLEL'] ?? '').toLowerCase() === 'y';
}

// Flags that kubetest migrates into env vars for child scripts: the flag wins over the env var, then is exported.
function migratedEnv(cfg: RunConfig): Array<[string, string]> {
  const s = (n: string) => cfg.flags.str(n);
  const gke = cfg.deployment === 'gke';
  return [
    ['KUBERNETES_PROVIDER', cfg.provider],
    ['CLUSTER_NAME', cfg.cluster],
    ['PROJECT', s('gcp-project')],
    [gke ? 'ZONE' : 'KUBE_GCE_ZONE', s('gcp-zone')],
    ['REGION', s('gcp-region')],
    [gke ? 'KUBE_GKE_NETWORK' : 'KUBE_GCE_NETWORK', s('gcp-network')],
    ['GOOGLE_APPLICATION_CREDENTIALS', s('gcp-service-account')],
    ['KUBE_MASTER_OS_DISTRIBUTION', s('gcp-master-image')],
    ['KUBE_NODE_OS_DISTRIBUTION', s('gcp-node-image')],
    ['NUM_NODES', s('gcp-nodes')],
    ['NODE_SIZE', s('gcp-node-size')],
    ['MASTER_SIZE', s('gcp-master-size')],
  ];
}

function exportedEnv(cfg: RunConfig, env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of migratedEnv(cfg)) if (v) out[k] = v;
  out['GINKGO_PARALLEL_NODES'] = String(cfg.ginkgoParallel);
  out['KUBE_CONFIG_FILE'] = 'config-test.sh';
  out['KUBE_RUNTIME_CONFIG'] = cfg.flags.str('runtime-config');
  const gcp = ['gce', 'gke'].includes(cfg.provider) || ['gke', 'node'].includes(cfg.deployment);
  if (gcp) out['CLOUDSDK_CORE_PRINT_UNHANDLED_TRACEBACKS'] = '1';
  if (cfg.provider === 'gke') {
    // kubetest exports it for --provider=gke, empty when there is no --gcp-node-image
    const img = cfg.flags.str('gcp-node-image');
    out['NODE_OS_DISTRIBUTION'] = img === 'container_vm' ? 'debian' : img === 'cos_containerd' ? 'gci' : img;
  }
  if (cfg.kubemark) {
    out['KUBEMARK_NUM_NODES'] = cfg.flags.str('kubemark-nodes');
    const ms = cfg.flags.str('kubemark-master-size');
    if (ms) out['KUBEMARK_MASTER_SIZE'] = ms;
  }
  const kubeconfig = cfg.flags.str('kubeconfig');
  if (kubeconfig && cfg.flags.given('kubeconfig'))
    out['KUBECONFIG'] = isAbsolute(kubeconfig) ? kubeconfig : resolve(cfg.workDir, kubeconfig);
  if (env['KUBETEST_IN_DOCKER'] === 'true') out['KUBETEST_IN_DOCKER'] = 'true';
  return out;
}
