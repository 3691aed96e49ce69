// --upload against fake-gcs-server: after a run, the objects in the bucket are Prow's layout (what Spyglass and
// the GCS browser read), for a periodic job under a jobs dir and for a presubmit under a bare bucket.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runInProcess } from '../helpers/cli.js';
import { createGcsBucket, startFakeGcs, type Running } from '../helpers/servers.js';
import { tempDir } from '../helpers/tmp.js';

let gcs: Running;
before(async () => {
  gcs = await startFakeGcs();
  await createGcsBucket(gcs.url, 'prow-logs');
});
after(async () => {
  await gcs?.stop();
});

async function objects(bucket: string): Promise<Map<string, string>> {
  const r = await fetch(`${gcs.url}/storage/v1/b/${bucket}/o`);
  const items = ((await r.json()) as { items?: Array<{ name: string; contentType?: string }> }).items ?? [];
  return new Map(items.map((i) => [i.name, i.contentType ?? '']));
}

async function body(bucket: string, name: string): Promise<string> {
  return (await fetch(`${gcs.url}/storage/v1/b/${bucket}/o/${encodeURIComponent(name)}?alt=media`)).text();
}

function job(env: Record<string, string>, args: string[]) {
  const dir = tempDir('upload');
  const artifacts = join(dir, 'artifacts');
  mkdirSync(artifacts);
  return runInProcess(['--deployment=none', '--test-cmd=true', ...args], {
    cwd: dir,
    env: { PATH: process.env['PATH'], HOME: dir, ARTIFACTS: artifacts, KUBETEST_GCS_ENDPOINT: gcs.url, ...env },
  });
}

describe('--upload (fake-gcs-server)', () => {
  it('a periodic job: <jobs dir>/<job>/<build>/{started,finished,build-log,artifacts/…} and latest-build.txt', async () => {
    const env = {
      JOB_NAME: 'ci-kubetest-local',
      BUILD_ID: '1700000000000000001',
      JOB_TYPE: 'periodic',
      PROW_JOB_ID: 'b7f1c2d4-0000-4000-8000-000000000001',
    };
    const r = await job(env, ['--upload=gs://prow-logs/logs']);
    assert.equal(r.code, 0, r.stderr);
    const root = 'logs/ci-kubetest-local/1700000000000000001';
    const names = await objects('prow-logs');
    const ours = [...names.keys()].filter((n) => n.startsWith('logs/ci-kubetest-local/')).sort();
    const fixed = ours.filter((n) => !n.includes('/artifacts/kubetest-steps/'));
    assert.deepEqual(fixed, [
      `${root}/artifacts/junit_runner.xml`,
      `${root}/artifacts/metadata.json`,
      `${root}/artifacts/report.html`,
      `${root}/artifacts/summary.json`,
      `${root}/build-log.txt`,
      `${root}/finished.json`,
      `${root}/started.json`,
      'logs/ci-kubetest-local/latest-build.txt',
    ]);
    // The step logs are there too, one per step.
    assert.ok(
      ours.some((n) => /\/artifacts\/kubetest-steps\/[^/]+\/\d\d-true\.log$/.test(n)),
      ours.join('\n'),
    );
    assert.equal(names.get(`${root}/finished.json`), 'application/json');
    const finished = JSON.parse(await body('prow-logs', `${root}/finished.json`)) as Record<string, unknown>;
    assert.equal(finished['result'], 'SUCCESS');
    assert.equal(finished['passed'], true);
    const started = JSON.parse(await body('prow-logs', `${root}/started.json`)) as Record<string, unknown>;
    assert.equal(typeof started['timestamp'], 'number');
    assert.deepEqual(started['metadata'], {
      'prowjob-id': 'b7f1c2d4-0000-4000-8000-000000000001',
      'job-type': 'periodic',
    });
    assert.match(await body('prow-logs', `${root}/build-log.txt`), /\[true\] ok[\s\S]*kubetest: all \d+ steps passed/);
    assert.equal(await body('prow-logs', 'logs/ci-kubetest-local/latest-build.txt'), '1700000000000000001');
    assert.match(
      r.stderr,
      /kubetest: uploaded \d+ files to gs:\/\/prow-logs\/logs\/ci-kubetest-local\/1700000000000000001\n$/,
    );
  });

  it('a presubmit under a bare bucket: pr-logs/pull/<org>_<repo>/<pr>/<job>/<build>, no latest-build.txt', async () => {
    const env = {
      JOB_NAME: 'pull-kubetest-local',
      BUILD_ID: '42',
      JOB_TYPE: 'presubmit',
      REPO_OWNER: 'kubernetes',
      REPO_NAME: 'test-infra',
      PULL_NUMBER: '123',
    };
    const r = await job(env, ['--upload=gs://prow-logs']);
    assert.equal(r.code, 0, r.stderr);
    const names = [...(await objects('prow-logs')).keys()].filter((n) => n.includes('pull-kubetest-local'));
    const root = 'pr-logs/pull/kubernetes_test-infra/123/pull-kubetest-local/42';
    for (const f of ['started.json', 'finished.json', 'build-log.txt', 'artifacts/junit_runner.xml']) {
      assert.ok(names.includes(`${root}/${f}`), `${f} in ${names.join(', ')}`);
    }
    assert.ok(
      names.every((n) => n.startsWith(`${root}/`)),
      names.join('\n'),
    );
  });

  it('a failed upload is one line and exit 1; a missing $BUILD_ID is a usage error', async () => {
    const r = await job({ JOB_NAME: 'j', BUILD_ID: '1' }, ['--upload=gs://no-such-bucket/logs']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /\nkubetest: --upload to gs:\/\/no-such-bucket\/logs\/j\/1 failed: [^\n]+\n$/);
    const u = await job({ JOB_NAME: 'j' }, ['--upload=gs://prow-logs/logs']);
    assert.equal(u.code, 2);
    assert.match(u.stderr, /^kubetest: --upload needs \$BUILD_ID \(Prow sets it\)/);
  });

  it('artifact names that would not survive a URL are left out (and said); bad targets are usage errors', async () => {
    const dir = tempDir('upload-names');
    const artifacts = join(dir, 'artifacts');
    mkdirSync(join(artifacts, '%2e%2e', '%2e%2e'), { recursive: true });
    writeFileSync(join(artifacts, '%2e%2e', '%2e%2e', 'pwned.txt'), 'x');
    writeFileSync(join(artifacts, 'a#1.log'), 'x');
    writeFileSync(join(artifacts, 'fine.log'), 'x');
    const dest = join(dir, 'dest');
    const r = await runInProcess(['--deployment=none', '--test-cmd=true', `--upload=file://${dest}`], {
      cwd: dir,
      env: { PATH: process.env['PATH'], HOME: dir, ARTIFACTS: artifacts, JOB_NAME: 'j', BUILD_ID: '7' },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /kubetest: not uploaded \(names unsafe in a URL\): "%2e%2e\/%2e%2e\/pwned.txt", "a#1.log"\n/,
    );
    assert.ok(existsSync(join(dest, 'j', '7', 'artifacts', 'fine.log')));
    assert.equal(existsSync(join(dir, 'pwned.txt')), false);
    assert.equal(existsSync(join(dest, 'pwned.txt')), false);
    for (const bad of ['file:///', 'file:///tmp/x?y', 'gs://b/a/../x', 'file:///proc/self/x']) {
      const u = await runInProcess(['--deployment=none', `--upload=${bad}`], {
        cwd: dir,
        env: { PATH: process.env['PATH'], HOME: dir, ARTIFACTS: artifacts, JOB_NAME: 'j', BUILD_ID: '7' },
      });
      assert.equal(u.code, 2, bad);
      assert.match(u.stderr, /^kubetest: invalid value "[^"]+" for --upload: want gs:\/\/bucket/);
    }
  });
});
