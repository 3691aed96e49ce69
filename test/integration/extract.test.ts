// --extract against a loopback HTTP mirror that misbehaves on purpose, and from file://.
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { BASE_ENV, runChild } from '../helpers/cli.js';
import { makeMiniRelease, poisonTarball, truncateTarball } from '../helpers/minirelease.js';
import { startFileServer } from '../helpers/servers.js';
import { tempDir } from '../helpers/tmp.js';

const V = 'v1.36.3';
const CI_PATH = 'k8s-release-dev/ci';
const SERVER = 'kubernetes-server-linux-amd64.tar.gz';
const CLIENT = 'kubernetes-client-linux-amd64.tar.gz';

function stepFailure(dir: string, step: string): string | undefined {
  const doc = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (n) => n === 'testcase',
  }).parse(readFileSync(join(dir, 'dump', 'junit_runner.xml'), 'utf8'));
  return (doc.testsuite.testcase as Array<{ name: string; failure?: string }>).find((c) => c.name === step)?.failure;
}

interface Env {
  root: string;
  url: string;
  stop(): Promise<void>;
  hits: Map<string, number>;
  faults: Record<string, string>;
}

async function mirror(
  prepare?: (releaseDir: string) => Promise<void>,
  faults: Record<string, string> = {},
): Promise<Env> {
  const root = tempDir('mirror');
  const rel = await makeMiniRelease(root, CI_PATH, V);
  await prepare?.(rel.dir);
  const srv = await startFileServer(root, faults);
  return { root, ...srv };
}

async function extract(env: Env, args: string[], extraEnv: Record<string, string> = {}, cache?: string) {
  const dir = tempDir('extract');
  const r = await runChild([...args, `--extract-base-url=${env.url}`, '--deployment=none', '--dump=dump'], {
    cwd: dir,
    env: { ...BASE_ENV, KUBETEST_CACHE_DIR: cache ?? tempDir('cache'), KUBETEST_RETRY_BACKOFF_MS: '100', ...extraEnv },
  }).done;
  const left = readdirSync(dir).filter((f) => f.startsWith('kubernetes') || f.startsWith('.kubetest-extract'));
  return { ...r, dir, left };
}

function assertFailedCleanly(r: Awaited<ReturnType<typeof extract>>, re: RegExp) {
  assert.equal(r.code, 1, r.stderr);
  const msg = stepFailure(r.dir, 'Extract');
  assert.ok(msg, 'Extract failed in junit');
  assert.match(msg, re);
  assert.ok(!msg.includes('\n'), `one line: ${msg}`);
  assert.deepEqual(r.left, [], 'no kubernetes* dir and no temp dir left behind');
}

describe('extract from a mirror', () => {
  const servers: Env[] = [];
  const serve = async (prepare?: (d: string) => Promise<void>, faults: Record<string, string> = {}) => {
    const m = await mirror(prepare, faults);
    servers.push(m);
    return m;
  };
  after(async () => {
    for (const s of servers) await s.stop();
  });

  it('ci/latest: resolves the marker, verifies every file, lays out the get-kube tree', async () => {
    const m = await serve();
    const r = await extract(m, ['--extract=ci/latest']);
    assert.equal(r.code, 0, r.stderr);
    const k = join(r.dir, 'kubernetes');
    assert.equal(readFileSync(join(k, 'version'), 'utf8').trim(), V);
    for (const b of ['kubectl', 'e2e.test', 'ginkgo']) {
      assert.equal(
        execFileSync(join(k, 'platforms', 'linux', 'amd64', b))
          .toString()
          .trim(),
        `${b} ${V}`,
      );
    }
    assert.equal(
      execFileSync(join(k, 'server', 'bin', 'kube-apiserver'))
        .toString()
        .trim(),
      `kube-apiserver ${V}`,
    );
    assert.ok(existsSync(join(k, 'server', SERVER)), 'server tarball kept for kube-up');
    assert.equal(readlinkSync(join(k, 'client', 'bin')), '../platforms/linux/amd64');
    assert.ok(lstatSync(join(k, 'hack', 'ginkgo-e2e.sh')).mode & 0o100);
    assert.match(r.stderr, new RegExp(`ci/latest → ${m.url}/${CI_PATH}/${V}`));
    assert.match(r.stderr, /kubernetes-test-linux-amd64\.tar\.gz: .* sha512 verified/);
  });

  it('two extracts: the first ends in kubernetes_skew/, the second in kubernetes/', async () => {
    const m2 = await serve();
    await makeMiniRelease(m2.root, CI_PATH, 'v1.35.4');
    const r = await extract(m2, [
      '--extract=gs://k8s-release-dev/ci/v1.36.3',
      '--extract=gs://k8s-release-dev/ci/v1.35.4',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(join(r.dir, 'kubernetes_skew', 'version'), 'utf8').trim(), 'v1.36.3');
    assert.equal(readFileSync(join(r.dir, 'kubernetes', 'version'), 'utf8').trim(), 'v1.35.4');
  });

  it('a warm cache makes the second extract a copy: no tarball is downloaded again', async () => {
    const m = await serve();
    const cache = tempDir('cache');
    assert.equal((await extract(m, ['--extract=ci/latest'], {}, cache)).code, 0);
    const before = m.hits.get(`/${CI_PATH}/${V}/${SERVER}`);
    const r = await extract(m, ['--extract=ci/latest'], {}, cache);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(m.hits.get(`/${CI_PATH}/${V}/${SERVER}`), before, 'server tarball not fetched again');
    assert.match(r.stderr, /from the extract cache/);
    assert.equal(readFileSync(join(r.dir, 'kubernetes', 'version'), 'utf8').trim(), V);
  });

  it('the same release from another mirror is served from the cache (it is keyed by the published digests)', async () => {
    const m = await serve();
    const other = await startFileServer(m.root, {});
    try {
      const cache = tempDir('cache');
      assert.equal((await extract(m, ['--extract=ci/latest'], {}, cache)).code, 0);
      const r = await extract({ ...m, url: other.url }, ['--extract=ci/latest'], {}, cache);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /from the extract cache/);
      assert.equal(
        other.hits.get(`/${CI_PATH}/${V}/${SERVER}`),
        undefined,
        'no tarball fetched from the second mirror',
      );
      assert.ok((other.hits.get(`/${CI_PATH}/${V}/${SERVER}.sha512`) ?? 0) >= 1, 'its checksums were read');
    } finally {
      await other.stop();
    }
  });

  it('a release re-staged under the same version is downloaded again, not served from the cache', async () => {
    const m = await serve();
    const cache = tempDir('cache');
    assert.equal((await extract(m, ['--extract=ci/latest'], {}, cache)).code, 0);
    assert.equal((await extract(m, ['--extract=ci/latest'], {}, cache)).code, 0);
    const before = m.hits.get(`/${CI_PATH}/${V}/${SERVER}`)!;
    await makeMiniRelease(m.root, CI_PATH, V, ' (re-staged)');
    const r = await extract(m, ['--extract=ci/latest'], {}, cache);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /from the extract cache/);
    assert.equal(m.hits.get(`/${CI_PATH}/${V}/${SERVER}`), before + 1, 'the new server tarball was downloaded');
    assert.equal(
      execFileSync(join(r.dir, 'kubernetes', 'server', 'bin', 'kube-apiserver'), { encoding: 'utf8' }).trim(),
      `kube-apiserver ${V} (re-staged)`,
    );
  });

  it('a cached file changed through the extracted tree (a shared hard link) is noticed and unpacked again', async () => {
    const m = await serve();
    const cache = tempDir('cache');
    const first = await extract(m, ['--extract=ci/latest'], {}, cache);
    assert.equal(first.code, 0, first.stderr);
    const before = m.hits.get(`/${CI_PATH}/${V}/${SERVER}`)!;
    appendFileSync(join(first.dir, 'kubernetes', 'server', 'bin', 'kube-apiserver'), 'echo tampered\n');
    const r = await extract(m, ['--extract=ci/latest'], {}, cache);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /cached tree .* was modified; unpacking it again/);
    assert.match(r.stderr, /kubernetes-server-linux-amd64\.tar\.gz: .* \(download cache\), sha512 verified/);
    assert.equal(
      m.hits.get(`/${CI_PATH}/${V}/${SERVER}`),
      before,
      'the verified tarball in the download cache is unpacked again',
    );
    assert.equal(
      execFileSync(join(r.dir, 'kubernetes', 'server', 'bin', 'kube-apiserver'), { encoding: 'utf8' }).trim(),
      `kube-apiserver ${V}`,
    );
  });

  it('500 then success: retried', async () => {
    const m = await serve(undefined, { [`/${CI_PATH}/${V}/${SERVER}`]: '500-once' });
    const r = await extract(m, ['--extract=ci/latest']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(m.hits.get(`/${CI_PATH}/${V}/${SERVER}`), 2);
  });

  it('404 marker', async () => {
    const m = await serve(undefined, { [`/${CI_PATH}/latest.txt`]: '404' });
    assertFailedCleanly(
      await extract(m, ['--extract=ci/latest']),
      /version marker not found: http:\/\/127\.0\.0\.1:\d+\/k8s-release-dev\/ci\/latest\.txt/,
    );
  });

  it('garbage marker', async () => {
    const m = await serve(undefined, { [`/${CI_PATH}/latest.txt`]: '<html>Sorry</html>' });
    assertFailedCleanly(await extract(m, ['--extract=ci/latest']), /does not hold a version: "<html>Sorry<\/html>"/);
  });

  it('missing release file', async () => {
    const m = await serve(undefined, { [`/${CI_PATH}/${V}/kubernetes-test-portable.tar.gz`]: '404' });
    assertFailedCleanly(await extract(m, ['--extract=ci/latest']), /kubernetes-test-portable\.tar\.gz: not found at/);
  });

  it('stalled transfer times out', async () => {
    const m = await serve(undefined, { [`/${CI_PATH}/${V}/${CLIENT}`]: 'stall' });
    const r = await extract(m, ['--extract=ci/latest'], {
      KUBETEST_STALL_TIMEOUT_MS: '1000',
      KUBETEST_DOWNLOAD_RETRIES: '1',
    });
    assertFailedCleanly(r, /stalled \(no data for 1s\)/);
  });

  it('connection cut mid-transfer: retried, then a clear error', async () => {
    const m = await serve(undefined, { [`/${CI_PATH}/${V}/${SERVER}`]: 'truncate' });
    const r = await extract(m, ['--extract=ci/latest'], { KUBETEST_DOWNLOAD_RETRIES: '2' });
    assertFailedCleanly(r, /download failed after 3 attempts/);
    assert.equal(m.hits.get(`/${CI_PATH}/${V}/${SERVER}`), 3);
  });

  it('truncated tarball (its checksum matches, the archive is broken)', async () => {
    const m = await serve((d) => truncateTarball(d, SERVER));
    assertFailedCleanly(
      await extract(m, ['--extract=ci/latest']),
      /kubernetes-server-linux-amd64\.tar\.gz: truncated or corrupt tarball/,
    );
  });

  it('checksum mismatch is a hard error', async () => {
    const m = await serve(undefined, { [`/${CI_PATH}/${V}/${CLIENT}.sha512`]: 'a'.repeat(128) });
    assertFailedCleanly(
      await extract(m, ['--extract=ci/latest']),
      /kubernetes-client-linux-amd64\.tar\.gz: sha512 mismatch: published aaaaaaaaaaaaaaaa…/,
    );
  });

  for (const [kind, re] of [
    ['dotdot', /refusing to extract: path "kubernetes\/\.\.\/\.\.\/evil-outside" leaves the target directory/],
    [
      'symlink',
      /refusing to extract: symlink "kubernetes\/escape" -> "\.\.\/\.\.\/\.\.\/etc" points outside the target directory/,
    ],
    ['abs-symlink', /refusing to extract: symlink "kubernetes\/escape" points to the absolute path "\/etc"/],
    ['device', /refusing to extract: CharacterDevice entry "kubernetes\/dev-null"/],
    ['hardlink', /refusing to extract: hardlink "kubernetes\/passwd"/],
  ] as const) {
    it(`hostile tarball (${kind}) is rejected and nothing escapes`, async () => {
      const m = await serve((d) => poisonTarball(d, 'kubernetes.tar.gz', kind));
      const r = await extract(m, ['--extract=ci/latest']);
      assertFailedCleanly(r, re);
      assert.ok(!existsSync(join(r.dir, '..', 'evil-outside')) && !existsSync(join(r.dir, 'evil-outside')));
    });
  }
});

describe('extract from file:// and local', () => {
  it('--extract-source adds the source tree and KUBE_GIT_VERSION', async () => {
    const root = tempDir('filerel');
    await makeMiniRelease(root, 'rel/ci', V);
    const dir = tempDir('extract');
    const r = await runChild(
      [
        `--extract=file://${root}/rel/ci/${V}`,
        '--extract-source',
        '--deployment=none',
        '--test-cmd=/bin/sh',
        '--test-cmd-args=-c',
        '--test-cmd-args=echo "KGV=$KUBE_GIT_VERSION"',
      ],
      { cwd: dir, env: { ...BASE_ENV, KUBETEST_CACHE_DIR: tempDir('cache') } },
    ).done;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(join(dir, 'kubernetes', 'go.mod'), 'utf8'), 'module k8s.io/kubernetes\n');
    assert.ok(existsSync(join(dir, 'kubernetes', 'cmd', 'kubectl', 'kubectl.go')));
    assert.match(r.stderr, new RegExp(`KGV=${V}`));
  });

  it('file:// release dir and marker', async () => {
    const root = tempDir('filerel');
    await makeMiniRelease(root, 'rel/ci', V);
    for (const arg of [`file://${root}/rel/ci/${V}`, `file://${root}/rel/ci/latest-1.36.txt`]) {
      const dir = tempDir('extract');
      const r = await runChild([`--extract=${arg}`, '--deployment=none'], {
        cwd: dir,
        env: { ...BASE_ENV, KUBETEST_CACHE_DIR: tempDir('cache') },
      }).done;
      assert.equal(r.code, 0, r.stderr);
      assert.equal(readFileSync(join(dir, 'kubernetes', 'version'), 'utf8').trim(), V);
    }
  });
});
