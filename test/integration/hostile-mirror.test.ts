// The real CLI against a mirror that attacks it (test/helpers/hostile-mirror.ts). For each attack: a one-line
// error and a non-zero exit (or, for setuid bits, a clean extract without them), nothing written outside the
// work dir, no temp file left in the work dir or the cache, memory bounded, no hang.
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { BASE_ENV } from '../helpers/cli.js';
import { startHostileMirror, type Attack, type HostileMirror } from '../helpers/hostile-mirror.js';
import { tempDir } from '../helpers/tmp.js';
import { runWatched } from '../helpers/watch.js';

const MAX_RSS = 300 << 20;

function extractFailure(work: string): string | undefined {
  const doc = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (n) => n === 'testcase',
  }).parse(readFileSync(join(work, 'dump', 'junit_runner.xml'), 'utf8'));
  return (doc.testsuite.testcase as Array<{ name: string; failure?: string }>).find((c) => c.name === 'Extract')
    ?.failure;
}

function walk(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    out.push(p);
    if (e.isDirectory()) walk(p, out);
  }
  return out;
}

async function attackRun(m: HostileMirror, extraEnv: Record<string, string> = {}) {
  // <top>/work is the work dir; <top>/outside is where the attacks aim; <top>/cache is the cache.
  const top = tempDir('hostile');
  const work = join(top, 'work');
  const outside = join(top, 'outside');
  const cache = join(top, 'cache');
  for (const d of [work, outside]) mkdirSync(d);
  const r = await runWatched(
    ['--extract=ci/latest', `--extract-base-url=${m.url}`, '--deployment=none', '--dump=dump'],
    {
      cwd: work,
      env: { ...BASE_ENV, KUBETEST_CACHE_DIR: cache, KUBETEST_RETRY_BACKOFF_MS: '100', ...extraEnv },
      deadlineMs: 60_000,
    },
  );
  assert.ok(!r.hung, `kubetest hung (killed after 60s):\n${r.stderr}`);
  assert.deepEqual(readdirSync(outside), [], 'nothing written outside the work dir');
  assert.deepEqual(
    readdirSync(top).sort(),
    existsSync(cache) ? ['cache', 'outside', 'work'] : ['outside', 'work'],
    'nothing new next to the work dir',
  );
  const realWork = realpathSync(work);
  for (const p of walk(work)) {
    if (!lstatSync(p).isSymbolicLink()) continue;
    let target: string;
    try {
      target = realpathSync(p);
    } catch {
      continue; // dangling: points nowhere
    }
    assert.ok(!relative(realWork, target).startsWith('..'), `${p} resolves outside the work dir: ${target}`);
  }
  assert.deepEqual(
    readdirSync(work).filter((f) => f.startsWith('.kubetest-extract')),
    [],
    'no temp dir left in the work dir',
  );
  assert.deepEqual(
    walk(cache).filter((p) => /\.tmp-/.test(p)),
    [],
    'no temp file left in the cache',
  );
  assert.ok(r.peakRss < MAX_RSS, `peak RSS ${(r.peakRss / 2 ** 20).toFixed(0)} MiB`);
  return { ...r, work, outside };
}

function assertRefused(r: Awaited<ReturnType<typeof attackRun>>, re: RegExp) {
  assert.equal(r.code, 1, r.stderr);
  const msg = extractFailure(r.work);
  assert.ok(msg, `Extract failed in junit:\n${r.stderr}`);
  assert.match(msg, re);
  assert.ok(!msg.includes('\n'), `one line: ${msg}`);
  assert.deepEqual(
    readdirSync(r.work).filter((f) => f.startsWith('kubernetes')),
    [],
    'no kubernetes* dir left behind',
  );
}

describe('extract from a hostile mirror', () => {
  const mirrors: HostileMirror[] = [];
  const serve = async (a: Attack) => {
    const m = await startHostileMirror(a);
    mirrors.push(m);
    return m;
  };
  after(async () => {
    for (const m of mirrors) await m.stop();
  });

  it('a well-behaved release from the same mirror extracts (the harness itself is sound)', async () => {
    const r = await attackRun(await serve('none'));
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(join(r.work, 'kubernetes', 'platforms', 'linux', 'amd64', 'kubectl')));
  });

  it('a chain of relative symlinks (s -> .., then sN -> s(N-1)/..) is refused', async () => {
    const r = await attackRun(await serve('symlink-chain'));
    assertRefused(
      r,
      /kubernetes\.tar\.gz: refusing to extract: symlink "kubernetes\/x\/s2" -> "s1\/\.\." points outside/,
    );
  });

  it("one tarball turning another tarball's unpack dir into a symlink: refused, nothing lands outside", async () => {
    const r = await attackRun(await serve('dir-replace'));
    assertRefused(r, /kubernetes\.tar\.gz: refusing to extract: .*(points outside|replace the directory)/);
  });

  it('setuid, setgid and sticky bits are dropped', async () => {
    const r = await attackRun(await serve('setuid'));
    assert.equal(r.code, 0, r.stderr);
    const k = join(r.work, 'kubernetes');
    assert.equal(statSync(join(k, 'cluster', 'suid-tool')).mode & 0o7777, 0o755);
    assert.equal(statSync(join(k, 'shared')).mode & 0o7000, 0);
    for (const p of walk(k)) assert.equal(lstatSync(p).mode & 0o7000, 0, p);
  });

  it('a FIFO entry is refused', async () => {
    assertRefused(await attackRun(await serve('fifo')), /refusing to extract: FIFO entry "kubernetes\/pipe"/);
  });

  it('a device entry is refused', async () => {
    assertRefused(await attackRun(await serve('device')), /refusing to extract: BlockDevice entry "kubernetes\/sda"/);
  });

  it('a gzip bomb (256 MiB of zeros in 250 KB) is stopped by the expansion ratio', async () => {
    assertRefused(
      await attackRun(await serve('gzip-bomb')),
      /kubernetes-test-portable\.tar\.gz: refusing to extract: it expands to more than 100 times its compressed size/,
    );
  });

  it('an extract over KUBETEST_EXTRACT_MAX_BYTES is refused', async () => {
    assertRefused(
      await attackRun(await serve('over-cap'), { KUBETEST_EXTRACT_MAX_BYTES: String(2 << 20) }),
      /refusing to extract: the release expands to more than 2097152 bytes \(KUBETEST_EXTRACT_MAX_BYTES\)/,
    );
  });

  it('a 1 GiB version marker is refused without reading it', async () => {
    assertRefused(
      await attackRun(await serve('huge-marker')),
      /cannot read version marker http:\/\/127\.0\.0\.1:\d+\/k8s-release-dev\/ci\/latest\.txt: .*larger than 4096 bytes/,
    );
  });

  it('an endless chunked version marker is cut at 4 KiB', async () => {
    assertRefused(
      await attackRun(await serve('endless-marker')),
      /cannot read version marker http:\/\/127\.0\.0\.1:\d+\/k8s-release-dev\/ci\/latest\.txt: .*larger than 4096 bytes/,
    );
  });

  it('a marker that stalls after its headers times out', async () => {
    assertRefused(
      await attackRun(await serve('stalled-marker'), {
        KUBETEST_STALL_TIMEOUT_MS: '1000',
        KUBETEST_DOWNLOAD_RETRIES: '1',
      }),
      /cannot read version marker .*latest\.txt: .*no data for 1s/,
    );
  });

  it('a .sha512 that stalls after its headers times out', async () => {
    assertRefused(
      await attackRun(await serve('stalled-sha512'), {
        KUBETEST_STALL_TIMEOUT_MS: '1000',
        KUBETEST_DOWNLOAD_RETRIES: '1',
      }),
      /kubernetes-client-linux-amd64\.tar\.gz\.sha512: .*no data for 1s/,
    );
  });

  it('an oversized .sha512 is refused, naming its URL', async () => {
    assertRefused(
      await attackRun(await serve('big-sha512')),
      /http:\/\/127\.0\.0\.1:\d+\/k8s-release-dev\/ci\/v1\.36\.3\/kubernetes\.tar\.gz\.sha512: .*larger than 4096 bytes/,
    );
  });
});
