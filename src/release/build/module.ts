// --build=module: a genuine Kubernetes release built from the Go module proxy, no checkout and no Docker
// (../shared/reference/local-cluster.md §1, §5). Binaries are built one by one in a throw-away wrapper module with a
// replace line per staging module and version ldflags in component-base and client-go; then packaged in the official
// layout. The finished release is cached by (version, GOOS/GOARCH, Go version).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandError, StepFailure } from '../../process/errors.js';
import { copyTree, linkOrCopy, replaceDir } from '../fsutil.js';
import {
  CLIENT_BINARIES,
  NODE_BINARIES,
  SERVER_BINARIES,
  TEST_BINARIES,
  TEST_PORTABLE_PATHS,
  createTarball,
  platformTag,
  releaseTarballs,
  writeChecksumFiles,
} from '../layout.js';
import { goCacheEnv, kubeWrapperGoMod, requiredVersion, stagingVersion } from './goenv.js';
import { buildGoTool, withLock, type Exec } from './gotool.js';
import { kubeBinaries } from './binaries.js';

export interface ModuleBuildOptions {
  version: string;
  cacheDir: string;
  /** `_output`: the release goes to <outputDir>/gcs-stage/<version>/ and <outputDir>/release-tars/. */
  outputDir: string;
  goos?: string;
  goarch?: string;
  exec: Exec;
  env: NodeJS.ProcessEnv;
  log: (msg: string) => void;
  progress?: (detail: string) => void;
  logFile?: string;
}

export interface BinaryTiming {
  name: string;
  seconds: number;
  bytes: number;
}

export interface BuiltRelease {
  version: string;
  /** The release in the cache. */
  cacheDir: string;
  /** <outputDir>/gcs-stage/<version> */
  stageDir: string;
  cached: boolean;
  goVersion: string;
  etcdVersion: string;
  timings: BinaryTiming[];
}

interface Manifest {
  version: string;
  goVersion: string;
  etcdVersion: string;
  ginkgoVersion: string;
  timings: BinaryTiming[];
  packagingSeconds: number;
}

export async function goEnvValue(exec: Exec, env: NodeJS.ProcessEnv, name: string): Promise<string> {
  return (await exec(['go', 'env', name], { env, captureStdout: true })).stdout.trim();
}

export async function buildModuleRelease(o: ModuleBuildOptions): Promise<BuiltRelease> {
  const goos = o.goos ?? 'linux';
  const goarch = o.goarch ?? 'amd64';
  const env = goCacheEnv(o.cacheDir, o.env);
  let goVersion: string;
  try {
    goVersion = await goEnvValue(o.exec, env, 'GOVERSION');
  } catch {
    throw new StepFailure('--build=module needs the go command on PATH (https://go.dev/dl/)');
  }
  const key = `${o.version}-${goos}-${goarch}-${goVersion}`;
  const releaseDir = join(o.cacheDir, 'releases', 'built', key);
  const done = () => existsSync(join(releaseDir, '.manifest.json'));
  let cached = true;
  if (!done()) {
    await withLock(
      releaseDir,
      async () => {
        if (done()) return;
        cached = false;
        const tmp = `${releaseDir}.tmp-${process.pid}`;
        try {
          await buildInto(o, env, releaseDir, tmp, goos, goarch, goVersion);
        } finally {
          rmSync(tmp, { recursive: true, force: true });
        }
      },
      () => o.log(`another kubetest is building ${o.version}; waiting for it`),
    );
  }
  const manifest = JSON.parse(readFileSync(join(releaseDir, '.manifest.json'), 'utf8')) as Manifest;
  const stageDir = publishToOutput(releaseDir, o.outputDir, o.version);
  return {
    version: o.version,
    cacheDir: releaseDir,
    stageDir,
    cached,
    goVersion,
    etcdVersion: manifest.etcdVersion,
    timings: manifest.timings,
  };
}

/** `go mod download` of k8s.io/kubernetes@version: its dir, go.mod and .info; a clear error when not served. */
export async function downloadKubeModule(
  exec: Exec,
  env: NodeJS.ProcessEnv,
  cacheDir: string,
  v: string,
): Promise<{ Dir: string; GoMod: string; Info: string }> {
  try {
    const r = await exec(['go', 'mod', 'download', '-json', `k8s.io/kubernetes@${v}`], {
      env,
      captureStdout: true,
      cwd: cacheDir,
    });
    return JSON.parse(r.stdout) as { Dir: string; GoMod: string; Info: string };
  } catch (e) {
    const out = e instanceof CommandError ? e.failure.tail : '';
    const err = /"Error":\s*"([^"]+)"/.exec(out)?.[1] ?? lastMeaningfulLine(out);
    throw new StepFailure(
      `--build=module: k8s.io/kubernetes@${v} is not available from the Go module proxy: ${err}`,
      out,
    );
  }
}

async function buildInto(
  o: ModuleBuildOptions,
  env: NodeJS.ProcessEnv,
  releaseDir: string,
  tmp: string,
  goos: string,
  goarch: string,
  goVersion: string,
): Promise<void> {
  const v = o.version;
  const buildEnv = { ...env, GOOS: goos, GOARCH: goarch };
  const failWith = (what: string, e: unknown): never => {
    const detail = e instanceof CommandError ? lastMeaningfulLine(e.failure.tail) : (e as Error).message;
    throw new StepFailure(
      `--build=module ${v}: ${what} failed: ${detail}${o.logFile ? ` (log: ${o.logFile})` : ''}`,
      e instanceof CommandError ? e.failure.tail : undefined,
    );
  };

  // 1. The module itself: also tells us whether the proxy serves this version.
  o.progress?.(`downloading k8s.io/kubernetes@${v}`);
  const mod = await downloadKubeModule(o.exec, env, o.cacheDir, v);
  const kubeGoMod = readFileSync(mod.GoMod, 'utf8');
  const info = JSON.parse(readFileSync(mod.Info, 'utf8')) as { Time?: string };
  const etcdVersion = requiredVersion(kubeGoMod, 'go.etcd.io/etcd/server/v3');
  const ginkgoVersion = requiredVersion(kubeGoMod, 'github.com/onsi/ginkgo/v2');
  if (!etcdVersion || !ginkgoVersion)
    throw new StepFailure(`--build=module ${v}: cannot find the etcd and ginkgo versions in its go.mod`);
  const sv = stagingVersion(v);

  // 2. The wrapper module.
  const work = join(o.cacheDir, 'work', `k8s-${v}`);
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, 'go.mod'), kubeWrapperGoMod(v, kubeGoMod));
  const bins = kubeBinaries(ginkgoVersion);
  const getArgs = bins.map((b) =>
    b.pkg.includes('@') ? b.pkg : b.pkg.startsWith('k8s.io/kubernetes') ? `${b.pkg}@${v}` : `${b.pkg}@${sv}`,
  );
  o.progress?.(`resolving dependencies of k8s.io/kubernetes@${v}`);
  try {
    await o.exec(['go', 'get', `k8s.io/kubernetes@${v}`, ...getArgs], { cwd: work, env });
  } catch (e) {
    failWith('go get', e);
  }

  // 3. Binaries, one at a time so that progress and timings are per binary.
  rmSync(tmp, { recursive: true, force: true });
  const binDir = join(tmp, 'bin', goos, goarch);
  mkdirSync(binDir, { recursive: true });
  const ldflags = versionLdflags(v, info.Time ?? '1970-01-01T00:00:00Z', moduleCommit(work, v));
  const timings: BinaryTiming[] = [];
  for (const [i, b] of bins.entries()) {
    const pkg = b.pkg.replace(/@.*$/, '');
    o.progress?.(`building ${b.name} (${i + 1}/${bins.length + 1})`);
    const t0 = Date.now();
    const out = join(binDir, b.name);
    const argv = b.test
      ? ['go', 'test', '-c', '-trimpath', '-tags', 'selinux,notest', '-ldflags', ldflags, '-o', out, pkg]
      : [
          'go',
          'build',
          '-trimpath',
          ...(b.plain ? [] : ['-tags', 'selinux,notest']),
          '-ldflags',
          b.plain ? '-s -w' : ldflags,
          '-o',
          out,
          pkg,
        ];
    try {
      await o.exec(argv, { cwd: work, env: buildEnv });
    } catch (e) {
      failWith(`building ${pkg}`, e);
    }
    const t = { name: b.name, seconds: (Date.now() - t0) / 1000, bytes: statSync(out).size };
    timings.push(t);
    o.log(`built ${b.name} in ${t.seconds.toFixed(1)}s (${mb(t.bytes)})`);
  }
  o.progress?.(`building etcd ${etcdVersion} (${bins.length + 1}/${bins.length + 1})`);
  const t0 = Date.now();
  let etcd: string;
  try {
    etcd = await buildGoTool(
      o.exec,
      o.cacheDir,
      { name: 'etcd', module: 'go.etcd.io/etcd/server/v3', version: etcdVersion },
      { ...o.env, GOOS: goos, GOARCH: goarch },
    );
  } catch (e) {
    failWith(`building go.etcd.io/etcd/server/v3@${etcdVersion}`, e);
  }
  linkOrCopy(etcd!, join(binDir, 'etcd'));
  timings.push({ name: 'etcd', seconds: (Date.now() - t0) / 1000, bytes: statSync(etcd!).size });

  // 4. The official layout.
  o.progress?.('packaging the release tarballs');
  const p0 = Date.now();
  await packageRelease({ src: mod.Dir, version: v, binDir, out: tmp, goos, goarch, progress: o.progress });
  const packagingSeconds = (Date.now() - p0) / 1000;
  const manifest: Manifest = { version: v, goVersion, etcdVersion, ginkgoVersion, timings, packagingSeconds };
  writeFileSync(join(tmp, '.manifest.json'), JSON.stringify(manifest, null, 2));
  replaceDir(tmp, releaseDir);
  const total = timings.reduce((s, t) => s + t.seconds, 0);
  const binBytes = timings.reduce((s, t) => s + t.bytes, 0);
  const tarBytes = readdirSync(releaseDir)
    .filter((f) => f.endsWith('.tar.gz'))
    .reduce((s, f) => s + statSync(join(releaseDir, f)).size, 0);
  o.log(
    `release ${v} built: ${timings.length} binaries (${mb(binBytes)}) in ${total.toFixed(0)}s; ${mb(tarBytes)} of ` +
      `tarballs packaged in ${packagingSeconds.toFixed(0)}s`,
  );
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

function lastMeaningfulLine(out: string): string {
  const lines = out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('$ '));
  return lines[lines.length - 1] ?? 'no output';
}

/** hack/lib/version.sh's ldflags, stamped into both version packages so that kubectl and servers agree. */
export function versionLdflags(version: string, buildDate: string, commit: string): string {
  const m = /^v(\d+)\.(\d+)/.exec(version)!;
  const vars: Record<string, string> = {
    gitVersion: version,
    gitMajor: m[1]!,
    gitMinor: m[2]!,
    gitCommit: commit,
    gitTreeState: 'clean',
    buildDate: buildDate.replace(/\.\d+Z$/, 'Z'),
  };
  const x: string[] = [];
  for (const pkg of ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version']) {
    for (const [k, val] of Object.entries(vars)) x.push(`-X ${pkg}.${k}=${val}`);
  }
  return ['-s', '-w', ...x].join(' ');
}

/** The module's content hash (go.sum h1:) as 40 hex digits: a stable stand-in for the git commit. */
export function moduleCommit(work: string, version: string): string {
  try {
    const sum = readFileSync(join(work, 'go.sum'), 'utf8');
    const h1 = new RegExp(`^k8s\\.io/kubernetes ${version.replace(/\./g, '\\.')} h1:(\\S+)$`, 'm').exec(sum)?.[1];
    if (h1) return Buffer.from(h1, 'base64').toString('hex').slice(0, 40);
  } catch {
    // fall through
  }
  return createHash('sha1').update(`k8s.io/kubernetes@${version}`).digest('hex');
}

interface PackageInput {
  src: string;
  version: string;
  binDir: string;
  out: string;
  goos: string;
  goarch: string;
  progress?: ((detail: string) => void) | undefined;
}

export async function packageRelease(p: PackageInput): Promise<void> {
  const stage = join(p.out, '.stage');
  const tag = platformTag(p.goos, p.goarch);
  const bin = (n: string) => join(p.binDir, n);
  const k = (name: string) => join(stage, name, 'kubernetes');
  const mk = async (name: string, fill: (root: string) => void) => {
    p.progress?.(`packaging ${name}`);
    const root = k(name);
    mkdirSync(root, { recursive: true });
    fill(root);
    await createTarball(join(p.out, name), join(stage, name));
    rmSync(join(stage, name), { recursive: true, force: true });
  };
  const licenses = (root: string) => copyTree(join(p.src, 'LICENSES'), join(root, 'LICENSES'));
  const versionFile = (root: string) => writeFileSync(join(root, 'version'), `${p.version}\n`);

  // Like `git archive HEAD`: the source tree without a kubernetes/ prefix.
  p.progress?.('packaging kubernetes-src.tar.gz');
  await createTarball(join(p.out, 'kubernetes-src.tar.gz'), p.src, readdirSync(p.src).sort());
  const srcTar = join(p.out, 'kubernetes-src.tar.gz');
  await mk('kubernetes-manifests.tar.gz', (root) => manifests(p.src, join(root, 'gci-trusty')));
  await mk(`kubernetes-server-${tag}.tar.gz`, (root) => {
    for (const b of [...SERVER_BINARIES, ...CLIENT_BINARIES]) linkOrCopy(bin(b), join(root, 'server', 'bin', b));
    mkdirSync(join(root, 'addons'), { recursive: true });
    licenses(root);
    versionFile(root);
    linkOrCopy(srcTar, join(root, 'kubernetes-src.tar.gz'));
  });
  await mk(`kubernetes-client-${tag}.tar.gz`, (root) => {
    for (const b of CLIENT_BINARIES) linkOrCopy(bin(b), join(root, 'client', 'bin', b));
  });
  await mk(`kubernetes-node-${tag}.tar.gz`, (root) => {
    for (const b of [...NODE_BINARIES, ...CLIENT_BINARIES]) linkOrCopy(bin(b), join(root, 'node', 'bin', b));
    licenses(root);
    versionFile(root);
    linkOrCopy(srcTar, join(root, 'kubernetes-src.tar.gz'));
  });
  await mk(`kubernetes-test-${tag}.tar.gz`, (root) => {
    for (const b of TEST_BINARIES) linkOrCopy(bin(b), join(root, 'test', 'bin', b));
  });
  await mk('kubernetes-test-portable.tar.gz', (root) => {
    copyTree(join(p.src, 'test', 'images'), join(root, 'test', 'images'));
    for (const rel of TEST_PORTABLE_PATHS) copyTree(join(p.src, rel), join(root, rel));
  });
  await mk(`kubernetes-etcd-${tag}.tar.gz`, (root) =>
    linkOrCopy(bin('etcd'), join(root, 'third_party', 'etcd', 'etcd')),
  );
  await mk('kubernetes.tar.gz', (root) => {
    copyTree(join(p.src, 'cluster'), join(root, 'cluster'));
    copyTree(join(p.src, 'hack', 'lib'), join(root, 'hack', 'lib'));
    copyTree(join(p.src, 'docs'), join(root, 'docs'));
    copyTree(join(p.src, 'README.md'), join(root, 'README.md'));
    licenses(root);
    mkdirSync(join(root, 'client'), { recursive: true });
    writeFileSync(
      join(root, 'client', 'README'),
      'Client binaries are not in this tarball: cluster/get-kube-binaries.sh (or kubetest --extract) fetches them.\n',
    );
    mkdirSync(join(root, 'server'), { recursive: true });
    writeFileSync(
      join(root, 'server', 'README'),
      'Server binaries are not in this tarball: cluster/get-kube-binaries.sh (or kubetest --extract) fetches them.\n',
    );
    linkOrCopy(join(p.out, 'kubernetes-manifests.tar.gz'), join(root, 'server', 'kubernetes-manifests.tar.gz'));
    versionFile(root);
  });
  rmSync(stage, { recursive: true, force: true });

  p.progress?.('writing checksums');
  const sums256: string[] = [];
  const sums512: string[] = [];
  const files = [
    ...releaseTarballs(p.goos, p.goarch),
    `kubernetes-etcd-${tag}.tar.gz`,
    ...readdirSync(p.binDir)
      .sort()
      .map((b) => `bin/${p.goos}/${p.goarch}/${b}`),
  ];
  for (const f of files) {
    const d = await writeChecksumFiles(join(p.out, f));
    sums256.push(`${d.sha256}  ${f}`);
    sums512.push(`${d.sha512}  ${f}`);
  }
  writeFileSync(join(p.out, 'SHA256SUMS'), sums256.join('\n') + '\n');
  writeFileSync(join(p.out, 'SHA512SUMS'), sums512.join('\n') + '\n');
}

function manifests(src: string, dst: string): void {
  const m = join(src, 'cluster', 'gce', 'manifests');
  mkdirSync(dst, { recursive: true });
  if (existsSync(m)) {
    for (const f of readdirSync(m)) {
      if (/\.(manifest|yaml|jsonl)$/.test(f) || f.startsWith('internal-')) copyTree(join(m, f), join(dst, f));
    }
  }
  const gci = join(src, 'cluster', 'gce', 'gci');
  for (const [from, to] of [
    ['configure-helper.sh', 'gci-configure-helper.sh'],
    ['configure-kubeapiserver.sh', 'configure-kubeapiserver.sh'],
  ] as const) {
    if (existsSync(join(gci, from))) copyTree(join(gci, from), join(dst, to));
  }
  for (const d of ['cluster/addons', 'cluster/gce/addons']) {
    const base = join(src, d);
    if (existsSync(base))
      copyTree(
        base,
        dst,
        (rel) => !/demo/.test(rel) && (statSync(join(base, rel)).isDirectory() || /\.(yaml|yaml\.in|json)$/.test(rel)),
      );
  }
}

/** Links the cached release into <outputDir>/gcs-stage/<version>/ and <outputDir>/release-tars/. */
export function publishToOutput(releaseDir: string, outputDir: string, version: string): string {
  const stageDir = join(outputDir, 'gcs-stage', version);
  const tmp = `${stageDir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const walk = (rel: string) => {
    for (const e of readdirSync(join(releaseDir, rel), { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else linkOrCopy(join(releaseDir, r), join(tmp, r));
    }
  };
  walk('');
  replaceDir(tmp, stageDir);
  const tars = join(outputDir, 'release-tars');
  const tarsTmp = `${tars}.tmp-${process.pid}`;
  rmSync(tarsTmp, { recursive: true, force: true });
  mkdirSync(tarsTmp, { recursive: true });
  for (const f of readdirSync(stageDir)) if (f.endsWith('.tar.gz')) linkOrCopy(join(stageDir, f), join(tarsTmp, f));
  replaceDir(tarsTmp, tars);
  return stageDir;
}
