// --build=module: the release that hack/build-peers.sh built with the same code (cached), checked for the
// official layout, checksums and versions; then the CLI path, a no-op rebuild, and the failure cases.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as tar from 'tar';
import { BASE_ENV, runChild } from '../helpers/cli.js';
import { peers } from '../helpers/peers.js';
import { tempDir } from '../helpers/tmp.js';

async function listing(file: string): Promise<Array<{ path: string; uid: number; gid: number; type: string }>> {
  const out: Array<{ path: string; uid: number; gid: number; type: string }> = [];
  await tar.t({
    file,
    onReadEntry: (e) => out.push({ path: e.path, uid: e.uid ?? -1, gid: e.gid ?? -1, type: e.type }),
  });
  return out;
}

const sha = (algo: string, file: string) => createHash(algo).update(readFileSync(file)).digest('hex');
const SERVER_BINS = [
  'apiextensions-apiserver',
  'kube-aggregator',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-log-runner',
  'kube-proxy',
  'kube-scheduler',
  'kubeadm',
  'kubectl',
  'kubectl-convert',
  'kubelet',
  'mounter',
];

for (const which of ['release', 'oldRelease'] as const) {
  describe(`module-built release (${which})`, () => {
    const { version, dir } = peers()[which];

    it('has the official layout: tarballs with .sha256/.sha512, SHA256SUMS/SHA512SUMS, bin/linux/amd64', () => {
      const tarballs = [
        'kubernetes.tar.gz',
        'kubernetes-src.tar.gz',
        'kubernetes-manifests.tar.gz',
        'kubernetes-server-linux-amd64.tar.gz',
        'kubernetes-client-linux-amd64.tar.gz',
        'kubernetes-node-linux-amd64.tar.gz',
        'kubernetes-test-linux-amd64.tar.gz',
        'kubernetes-test-portable.tar.gz',
        'kubernetes-etcd-linux-amd64.tar.gz',
      ];
      const files = readdirSync(dir);
      for (const t of tarballs) for (const f of [t, `${t}.sha256`, `${t}.sha512`]) assert.ok(files.includes(f), f);
      assert.ok(files.includes('SHA256SUMS') && files.includes('SHA512SUMS'));
      assert.deepEqual(
        readdirSync(join(dir, 'bin', 'linux', 'amd64'))
          .filter((f) => !f.includes('.sha'))
          .sort(),
        [...SERVER_BINS, 'e2e.test', 'etcd', 'ginkgo', 'go-runner'].sort(),
      );
    });

    it('every checksum verifies', () => {
      const sums = readFileSync(join(dir, 'SHA512SUMS'), 'utf8').trim().split('\n');
      assert.equal(sums.length, 25, '9 tarballs and 16 binaries');
      for (const line of sums) {
        const [hex, rel] = line.split(/\s+/) as [string, string];
        const f = join(dir, rel);
        assert.equal(sha('sha512', f), hex, rel);
        assert.equal(readFileSync(`${f}.sha512`, 'utf8'), hex, `${rel}.sha512`);
        assert.equal(readFileSync(`${f}.sha256`, 'utf8'), sha('sha256', f), `${rel}.sha256`);
      }
      for (const line of readFileSync(join(dir, 'SHA256SUMS'), 'utf8').trim().split('\n')) {
        const [hex, rel] = line.split(/\s+/) as [string, string];
        assert.equal(sha('sha256', join(dir, rel)), hex, rel);
      }
    });

    it('tarball listings match the official layout (paths under kubernetes/, owner 0)', async () => {
      const server = await listing(join(dir, 'kubernetes-server-linux-amd64.tar.gz'));
      assert.ok(server.every((e) => e.path.startsWith('kubernetes/') && e.uid === 0 && e.gid === 0));
      assert.deepEqual(
        server
          .filter((e) => e.path.startsWith('kubernetes/server/bin/') && e.type === 'File')
          .map((e) => e.path.slice('kubernetes/server/bin/'.length))
          .sort(),
        SERVER_BINS,
      );
      for (const p of [
        'kubernetes/version',
        'kubernetes/kubernetes-src.tar.gz',
        'kubernetes/addons/',
        'kubernetes/LICENSES/LICENSE',
      ])
        assert.ok(
          server.some((e) => e.path === p),
          p,
        );
      const client = (await listing(join(dir, 'kubernetes-client-linux-amd64.tar.gz')))
        .filter((e) => e.type === 'File')
        .map((e) => e.path);
      assert.deepEqual(client.sort(), ['kubernetes/client/bin/kubectl', 'kubernetes/client/bin/kubectl-convert']);
      const node = (await listing(join(dir, 'kubernetes-node-linux-amd64.tar.gz')))
        .filter((e) => e.path.startsWith('kubernetes/node/bin/') && e.type === 'File')
        .map((e) => e.path.split('/').pop());
      assert.deepEqual(node.sort(), [
        'kube-log-runner',
        'kube-proxy',
        'kubeadm',
        'kubectl',
        'kubectl-convert',
        'kubelet',
      ]);
      const test = (await listing(join(dir, 'kubernetes-test-linux-amd64.tar.gz')))
        .filter((e) => e.type === 'File')
        .map((e) => e.path);
      assert.deepEqual(test.sort(), [
        'kubernetes/test/bin/e2e.test',
        'kubernetes/test/bin/ginkgo',
        'kubernetes/test/bin/go-runner',
      ]);
      const portable = (await listing(join(dir, 'kubernetes-test-portable.tar.gz'))).map((e) => e.path);
      for (const p of [
        'kubernetes/hack/ginkgo-e2e.sh',
        'kubernetes/hack/lib/init.sh',
        'kubernetes/hack/e2e-internal/e2e-up.sh',
        'kubernetes/test/e2e/testing-manifests/',
        'kubernetes/test/kubemark/',
        'kubernetes/test/images/',
      ]) {
        assert.ok(
          portable.some((x) => x.startsWith(p)),
          p,
        );
      }
      const top = await listing(join(dir, 'kubernetes.tar.gz'));
      for (const p of [
        'kubernetes/version',
        'kubernetes/cluster/get-kube-binaries.sh',
        'kubernetes/hack/lib/version.sh',
        'kubernetes/server/kubernetes-manifests.tar.gz',
        'kubernetes/client/README',
        'kubernetes/server/README',
        'kubernetes/README.md',
        'kubernetes/LICENSES/LICENSE',
      ]) {
        assert.ok(
          top.some((e) => e.path === p),
          p,
        );
      }
      const src = await listing(join(dir, 'kubernetes-src.tar.gz'));
      assert.ok(
        src.some((e) => e.path === 'go.mod') && src.some((e) => e.path.startsWith('cmd/kube-apiserver/')),
        'src is like git archive: no prefix',
      );
    });

    it(`every binary runs and reports ${version}`, () => {
      const b = (n: string) => join(dir, 'bin', 'linux', 'amd64', n);
      const run = (n: string, ...args: string[]) => execFileSync(b(n), args, { encoding: 'utf8' }).trim();
      for (const n of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kube-proxy', 'kubelet'])
        assert.equal(run(n, '--version'), `Kubernetes ${version}`, n);
      assert.match(run('kubectl', 'version', '--client'), new RegExp(`^Client Version: ${version}$`, 'm'));
      assert.equal(run('kubeadm', 'version', '-o', 'short'), version);
      assert.match(run('e2e.test', '--version'), new RegExp(version.replace(/\./g, '\\.')));
      assert.match(run('etcd', '--version'), /^etcd Version: 3\.\d+\.\d+/m);
      assert.match(run('ginkgo', 'version'), /^Ginkgo Version 2\.\d+\.\d+/);
      const top = readFileSync(join(dir, 'kubernetes.tar.gz'));
      assert.ok(top.length > 0);
    });
  });
}

describe('kubetest --build=module', () => {
  it('a no-op rebuild reuses the cached release and publishes it to --build-output', async () => {
    const dir = tempDir('build');
    const { version } = peers().release;
    const r = await runChild([`--build=module`, `--build-version=${version}`, '--build-output=out', '--dump=d'], {
      cwd: dir,
      env: { ...BASE_ENV, KUBETEST_CACHE_DIR: peers().cacheDir },
    }).done;
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(join(dir, 'out', 'gcs-stage', version, 'kubernetes-server-linux-amd64.tar.gz')));
    assert.ok(existsSync(join(dir, 'out', 'release-tars', 'kubernetes.tar.gz')));
    assert.equal(JSON.parse(readFileSync(join(dir, 'd', 'metadata.json'), 'utf8'))['job-version'], version);
  });

  it('two concurrent builds of one version: one builds, the other waits for it; the cache is whole', async () => {
    const cache = tempDir('cache');
    const { version } = peers().release;
    const env = {
      ...BASE_ENV,
      KUBETEST_CACHE_DIR: cache,
      KUBETEST_GOMODCACHE: join(peers().cacheDir, 'go', 'mod'),
      KUBETEST_GOCACHE: join(peers().cacheDir, 'go', 'build'),
    };
    const build = () =>
      runChild(['--build=module', `--build-version=${version}`, '--verbose-commands=false'], {
        cwd: tempDir('build'),
        env,
      }).done;
    const [a, b] = await Promise.all([build(), build()]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const builders = [a, b].filter((r) => /built kube-apiserver in/.test(r.stderr));
    const waiters = [a, b].filter((r) => /another kubetest is building/.test(r.stderr));
    assert.equal(builders.length, 1, 'exactly one of them compiled');
    assert.equal(waiters.length, 1, 'the other waited on the lock');
    const built = readdirSync(join(cache, 'releases', 'built'));
    assert.deepEqual(built.filter((f) => !f.endsWith('.lock')).length, 1);
    assert.ok(
      existsSync(
        join(
          cache,
          'releases',
          'built',
          built.find((f) => !f.endsWith('.lock'))!,
          '.manifest.json',
        ),
      ),
    );
  });

  it('a version the module proxy does not serve: one line naming it, exit 1, nothing half-written', async () => {
    const dir = tempDir('build');
    const cache = tempDir('cache');
    const r = await runChild(['--build=module', '--build-version=v1.99.0', '--dump=d'], {
      cwd: dir,
      env: {
        ...BASE_ENV,
        KUBETEST_CACHE_DIR: cache,
        KUBETEST_GOMODCACHE: join(peers().cacheDir, 'go', 'mod'),
        KUBETEST_GOCACHE: join(peers().cacheDir, 'go', 'build'),
      },
    }).done;
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /\[Build\] FAILED .*: --build=module: k8s\.io\/kubernetes@v1\.99\.0 is not available from the Go module proxy: /,
    );
    assert.ok(!existsSync(join(dir, '_output')), 'no output dir');
    assert.deepEqual(
      readdirSync(join(cache, 'releases', 'built')).filter((f) => f.startsWith('v1.99.0') && !f.endsWith('.lock')),
      [],
    );
  });

  it('a failing package: one line naming the version, the package and the log; nothing half-written', async () => {
    const dir = tempDir('build');
    const cache = tempDir('cache');
    // A go that fails to compile kube-scheduler (everything else is the real go, with the real caches).
    const fake = join(dir, 'fakebin');
    execFileSync('mkdir', ['-p', fake]);
    const realGo = execFileSync('bash', ['-c', 'command -v go'], { encoding: 'utf8' }).trim();
    writeFileSync(
      join(fake, 'go'),
      `#!/bin/sh\nif [ "$1" = build ]; then case "$*" in *cmd/kube-scheduler*) echo "cmd/kube-scheduler/app/server.go:42:2: undefined: broken" >&2; exit 1;; esac; fi\nexec ${realGo} "$@"\n`,
    );
    chmodSync(join(fake, 'go'), 0o755);
    const { version } = peers().release;
    const r = await runChild(['--build=module', `--build-version=${version}`, '--dump=d'], {
      cwd: dir,
      env: {
        ...BASE_ENV,
        PATH: `${fake}:${BASE_ENV['PATH']}`,
        KUBETEST_CACHE_DIR: cache,
        KUBETEST_GOMODCACHE: join(peers().cacheDir, 'go', 'mod'),
        KUBETEST_GOCACHE: join(peers().cacheDir, 'go', 'build'),
      },
    }).done;
    assert.equal(r.code, 1);
    const line = r.stderr.split('\n').find((l) => l.includes('[Build] FAILED'))!;
    assert.match(
      line,
      new RegExp(
        `--build=module ${version.replace(/\./g, '\\.')}: building k8s\\.io/kubernetes/cmd/kube-scheduler failed: cmd/kube-scheduler/app/server\\.go:42:2: undefined: broken \\(log: .*kubetest-steps/\\d{8}T\\d{6}Z-\\d+/01-Build\\.log\\)`,
      ),
    );
    assert.ok(!existsSync(join(dir, '_output')));
    assert.deepEqual(
      readdirSync(join(cache, 'releases', 'built')).filter((f) => !f.endsWith('.lock')),
      [],
    );
    const junit = readFileSync(join(dir, 'd', 'junit_runner.xml'), 'utf8');
    assert.match(junit, /<system-out>[\s\S]*undefined: broken[\s\S]*<\/system-out>/);
  });
});
