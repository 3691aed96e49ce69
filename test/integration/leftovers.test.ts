// kill -9 in the middle of an extract leaves .kubetest-extract-<pid> in the work dir and blob.tmp-<pid>-<n>
// in the download cache: the next run removes those of dead pids and never touches a live pid's.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { BASE_ENV, runChild } from '../helpers/cli.js';
import { makeMiniRelease } from '../helpers/minirelease.js';
import { startFileServer } from '../helpers/servers.js';
import { tempDir } from '../helpers/tmp.js';

const V = 'v1.36.3';
const CI = 'k8s-release-dev/ci';

function tmpBlobs(cache: string): string[] {
  const d = join(cache, 'downloads');
  if (!existsSync(d)) return [];
  return readdirSync(d).flatMap((k) => readdirSync(join(d, k)).filter((f) => f.includes('.tmp-')));
}

describe('leftovers of a killed extract', () => {
  it('are removed by the next run (dead pids only)', async () => {
    const root = tempDir('mirror');
    await makeMiniRelease(root, CI, V);
    const work = tempDir('work');
    const cache = tempDir('cache');
    const env = { ...BASE_ENV, KUBETEST_CACHE_DIR: cache, KUBETEST_STALL_TIMEOUT_MS: '60000' };
    const stalling = await startFileServer(root, { [`/${CI}/${V}/kubernetes-client-linux-amd64.tar.gz`]: 'stall' });
    try {
      const c = runChild(['--extract=ci/latest', `--extract-base-url=${stalling.url}`, '--deployment=none'], {
        cwd: work,
        env,
      });
      const until = Date.now() + 30_000;
      while (!(existsSync(join(work, `.kubetest-extract-${c.pid}`)) && tmpBlobs(cache).length)) {
        assert.ok(Date.now() < until, `no temp files appeared:\n${c.stderrSoFar()}`);
        await sleep(50);
      }
      c.kill('SIGKILL');
      await c.done;
    } finally {
      await stalling.stop();
    }
    assert.ok(tmpBlobs(cache).length > 0, 'kill -9 left a blob.tmp-* behind');
    // A live kubetest's temp files (this test process stands in for it) must survive.
    const live = join(work, `.kubetest-extract-${process.pid}`);
    mkdirSync(live);
    const liveKey = join(cache, 'downloads', 'live-key');
    mkdirSync(liveKey, { recursive: true });
    writeFileSync(join(liveKey, `blob.tmp-${process.pid}-1`), 'partial');

    const good = await startFileServer(root, {});
    try {
      const r = await runChild(['--extract=ci/latest', `--extract-base-url=${good.url}`, '--deployment=none'], {
        cwd: work,
        env,
      }).done;
      assert.equal(r.code, 0, r.stderr);
    } finally {
      await good.stop();
    }
    assert.deepEqual(
      readdirSync(work).filter((f) => f.startsWith('.kubetest-extract-')),
      [`.kubetest-extract-${process.pid}`],
      "the dead pid's extract dir is gone, the live one's kept",
    );
    assert.deepEqual(tmpBlobs(cache), [`blob.tmp-${process.pid}-1`], "the dead pid's partial blob is gone");
  });
});
