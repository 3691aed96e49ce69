// --build=module, cold (empty Go build cache; the module cache is shared so downloads do not count) vs a
// bare `go build` of the same packages with the same flags in the same run, then a warm no-op rebuild.
// Goal: ours <= 1.05x bare go build (build part); no-op rebuild <= 30 s.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_BUILD_VERSION } from '../src/cli/config.js';
import { kubeBinaries } from '../src/release/build/binaries.js';
import { kubeWrapperGoMod, requiredVersion, stagingVersion } from '../src/release/build/goenv.js';
import { peers } from '../test/helpers/peers.js';
import { report } from './lib.js';

const main = join(import.meta.dirname, '..', 'bin', 'kubetest.js');
const version = process.env['BENCH_VERSION'] ?? DEFAULT_BUILD_VERSION;
const modcache = join(peers().cacheDir, 'go', 'mod');

function timed(argv: string[], env: NodeJS.ProcessEnv, cwd: string): { s: number; rssMb: number } {
  const rssFile = join(tmpdir(), `rss-${process.pid}-${Date.now()}`);
  const t0 = Date.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', rssFile, ...argv], {
    cwd,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const s = (Date.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed`);
  const rssMb = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024;
  rmSync(rssFile, { force: true });
  return { s, rssMb };
}

// 1. Ours, cold build cache.
const oursCache = mkdtempSync(join(tmpdir(), 'kubetest-bench-build-'));
const work = mkdtempSync(join(tmpdir(), 'kubetest-bench-buildwork-'));
const oursEnv = { ...process.env, KUBETEST_CACHE_DIR: oursCache, KUBETEST_GOMODCACHE: modcache };
console.error(`building ${version} with kubetest --build=module (cold build cache)…`);
const ours = timed(
  [process.execPath, main, '--build=module', `--build-version=${version}`, '--verbose-commands=false'],
  oursEnv,
  work,
);
const built = readdirSync(join(oursCache, 'releases', 'built')).find(
  (d) => d.startsWith(version) && !d.includes('.lock'),
)!;
const manifest = JSON.parse(readFileSync(join(oursCache, 'releases', 'built', built, '.manifest.json'), 'utf8')) as {
  timings: Array<{ name: string; seconds: number; bytes: number }>;
  packagingSeconds: number;
  etcdVersion: string;
  ginkgoVersion: string;
};

// 2. Bare go build of the same packages with the same flags, cold build cache, same module cache.
const bare = mkdtempSync(join(tmpdir(), 'kubetest-bench-bare-'));
const kubeGoMod = readFileSync(
  JSON.parse(
    spawnSync('go', ['mod', 'download', '-json', `k8s.io/kubernetes@${version}`], {
      env: { ...process.env, GOMODCACHE: modcache },
      encoding: 'utf8',
    }).stdout,
  ).GoMod,
  'utf8',
);
writeFileSync(join(bare, 'go.mod'), kubeWrapperGoMod(version, kubeGoMod));
const bins = kubeBinaries(requiredVersion(kubeGoMod, 'github.com/onsi/ginkgo/v2')!);
const sv = stagingVersion(version);
const ld = `-s -w -X k8s.io/component-base/version.gitVersion=${version}`;
const lines = [
  'set -e',
  `go get k8s.io/kubernetes@${version} ${bins.map((b) => (b.pkg.includes('@') ? b.pkg : b.pkg.startsWith('k8s.io/kubernetes') ? `${b.pkg}@${version}` : `${b.pkg}@${sv}`)).join(' ')}`,
  ...bins.map((b) =>
    b.test
      ? `go test -c -trimpath -tags selinux,notest -ldflags "${ld}" -o out/${b.name} ${b.pkg}`
      : `go build -trimpath ${b.plain ? '' : '-tags selinux,notest'} -ldflags "${ld}" -o out/${b.name} ${b.pkg.replace(/@.*/, '')}`,
  ),
  `mkdir -p etcd && cd etcd && printf 'module x\\n\\ngo 1.22\\n' > go.mod && go get go.etcd.io/etcd/server/v3@${manifest.etcdVersion} && go build -trimpath -ldflags "-s -w" -o ../out/etcd go.etcd.io/etcd/server/v3`,
];
writeFileSync(join(bare, 'build.sh'), lines.join('\n') + '\n');
mkdirSync(join(bare, 'out'));
console.error('building the same packages with bare go build (cold build cache)…');
const bareRun = timed(
  ['bash', join(bare, 'build.sh')],
  {
    ...process.env,
    GOMODCACHE: modcache,
    GOCACHE: join(bare, 'gocache'),
    GOFLAGS: '-mod=mod',
    GOWORK: 'off',
    CGO_ENABLED: '0',
  },
  bare,
);

// 3. No-op rebuild (release cached).
const noop = timed(
  [process.execPath, main, '--build=module', `--build-version=${version}`, '--verbose-commands=false'],
  oursEnv,
  work,
);

const buildPart = manifest.timings.reduce((s, t) => s + t.seconds, 0);
report(
  `--build=module ${version} on ${process.env['BENCH_MACHINE'] ?? 'this machine'} (cold Go build cache, warm module cache)`,
  [
    ...manifest.timings.map((t): [string, string] => [
      `  ${t.name}`,
      `${t.seconds.toFixed(1)} s (${(t.bytes / 1e6).toFixed(0)} MB)`,
    ]),
    ['kubetest: all binaries', `${buildPart.toFixed(0)} s`],
    ['kubetest: packaging (tarballs, checksums)', `${manifest.packagingSeconds.toFixed(0)} s`],
    ['kubetest: total wall (incl. go get)', `${ours.s.toFixed(0)} s, peak RSS ${ours.rssMb.toFixed(0)} MB`],
    ['bare go build, same packages and flags', `${bareRun.s.toFixed(0)} s, peak RSS ${bareRun.rssMb.toFixed(0)} MB`],
    ['ratio kubetest build / bare (goal <= 1.05)', `${((ours.s - manifest.packagingSeconds) / bareRun.s).toFixed(3)}x`],
    ['ratio kubetest total incl. packaging / bare', `${(ours.s / bareRun.s).toFixed(3)}x`],
    ['no-op rebuild (release cached; goal <= 30 s)', `${noop.s.toFixed(1)} s`],
  ],
);
rmSync(oursCache, { recursive: true, force: true });
rmSync(bare, { recursive: true, force: true });
rmSync(work, { recursive: true, force: true });
