// --build=module → --stage to a real storage server → --extract back from it: gs:// (fake-gcs-server),
// s3:// (gofakes3) and file://. The release comes from the build cache; uploads and downloads are real.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BASE_ENV, runChild } from '../helpers/cli.js';
import { peers } from '../helpers/peers.js';
import { createGcsBucket, startFakeGcs, startGofakes3, type Running } from '../helpers/servers.js';
import { tempDir } from '../helpers/tmp.js';

const V = () => peers().release.version;

async function kubetest(args: string[], env: NodeJS.ProcessEnv, cwd = tempDir('rt')) {
  const r = await runChild([...args, '--verbose-commands=false'], {
    cwd,
    env: { ...BASE_ENV, KUBETEST_CACHE_DIR: peers().cacheDir, ...env },
  }).done;
  return { ...r, cwd };
}

function assertExtracted(dir: string, version: string): void {
  const k = join(dir, 'kubernetes');
  assert.equal(readFileSync(join(k, 'version'), 'utf8').trim(), version);
  assert.match(
    execFileSync(join(k, 'platforms', 'linux', 'amd64', 'kubectl'), ['version', '--client'], { encoding: 'utf8' }),
    new RegExp(`Client Version: ${version}`),
  );
  assert.equal(
    execFileSync(join(k, 'server', 'bin', 'kube-apiserver'), ['--version'], { encoding: 'utf8' }).trim(),
    `Kubernetes ${version}`,
  );
  assert.match(
    execFileSync(join(k, 'platforms', 'linux', 'amd64', 'e2e.test'), ['--version'], { encoding: 'utf8' }),
    new RegExp(version.replace(/\./g, '\\.')),
  );
}

describe('gs:// round trip through fake-gcs-server', () => {
  let gcs: Running;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    gcs = await startFakeGcs();
    await createGcsBucket(gcs.url, 'kt-bucket');
    env = { KUBETEST_GCS_ENDPOINT: gcs.url };
  });
  after(() => gcs?.stop());

  it('stages the release with markers written last', async () => {
    const r = await kubetest(['--build=module', `--build-version=${V()}`, '--stage=gs://kt-bucket/ci'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /\[Stage\] staged \d+ files/);
    const marker = await (await fetch(`${gcs.url}/kt-bucket/ci/latest.txt`)).text();
    assert.equal(marker, V());
    assert.equal(await (await fetch(`${gcs.url}/kt-bucket/ci/latest-1.36.txt`)).text(), V());
    const sha = await (
      await fetch(`${gcs.url}/kt-bucket/ci/${V()}/kubernetes-server-linux-amd64.tar.gz.sha512`)
    ).text();
    assert.match(sha, /^[0-9a-f]{128}$/);
  });

  it('--no-allow-dup refuses to stage the same version again', async () => {
    const r = await kubetest(
      ['--build=module', `--build-version=${V()}`, '--stage=gs://kt-bucket/ci', '--no-allow-dup'],
      env,
    );
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      new RegExp(
        `\\[Stage\\] FAILED .*: --stage: ${V()} is already staged at gs://kt-bucket/ci/${V()} and --no-allow-dup is set`,
      ),
    );
  });

  it('--extract=gs://…/<ver> through the path-style HTTP endpoint', async () => {
    const r = await kubetest(
      [`--extract=gs://kt-bucket/ci/${V()}`, `--extract-base-url=${gcs.url}`, '--deployment=none'],
      env,
    );
    assert.equal(r.code, 0, r.stderr);
    assertExtracted(r.cwd, V());
  });

  it('--extract=ci/latest with --extract-ci-bucket and --extract-base-url', async () => {
    const r = await kubetest(
      ['--extract=ci/latest', '--extract-ci-bucket=kt-bucket', `--extract-base-url=${gcs.url}`, '--deployment=none'],
      env,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`ci/latest → ${gcs.url}/kt-bucket/ci/${V()}`));
    assertExtracted(r.cwd, V());
  });

  it('--extract=gs://…/latest.txt reads the marker through the GCS API', async () => {
    const r = await kubetest(
      ['--extract=gs://kt-bucket/ci/latest.txt', `--extract-base-url=${gcs.url}`, '--deployment=none'],
      env,
    );
    assert.equal(r.code, 0, r.stderr);
    assertExtracted(r.cwd, V());
  });

  it('--publish writes the version once, and only after a fully successful run', async () => {
    const ok = await kubetest(
      [
        `--extract=gs://kt-bucket/ci/${V()}`,
        `--extract-base-url=${gcs.url}`,
        '--deployment=none',
        '--test-cmd=/bin/true',
        '--publish=gs://kt-bucket/markers/latest-green.txt',
      ],
      env,
    );
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal((ok.stderr.match(/\[Publish version\] start/g) ?? []).length, 1);
    assert.equal(await (await fetch(`${gcs.url}/kt-bucket/markers/latest-green.txt`)).text(), V());
    const bad = await kubetest(
      [
        `--extract=gs://kt-bucket/ci/${V()}`,
        `--extract-base-url=${gcs.url}`,
        '--deployment=none',
        '--test-cmd=/bin/false',
        '--publish=gs://kt-bucket/markers/never.txt',
      ],
      env,
    );
    assert.equal(bad.code, 1);
    assert.equal((await fetch(`${gcs.url}/kt-bucket/markers/never.txt`)).status, 404);
  });
});

describe('s3:// round trip through gofakes3', () => {
  let s3: Running;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    s3 = await startGofakes3('kt-s3');
    env = {
      KUBETEST_S3_ENDPOINT: s3.url,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
    };
  });
  after(() => s3?.stop());

  it('stages, then extracts by version and by marker', async () => {
    const st = await kubetest(['--build=module', `--build-version=${V()}`, '--stage=s3://kt-s3/devel/pr-1'], env);
    assert.equal(st.code, 0, st.stderr);
    for (const arg of [`s3://kt-s3/devel/pr-1/${V()}`, 's3://kt-s3/devel/pr-1/latest.txt']) {
      const r = await kubetest([`--extract=${arg}`, '--deployment=none'], env);
      assert.equal(r.code, 0, r.stderr);
      assertExtracted(r.cwd, V());
    }
  });
});

describe('file:// round trip', () => {
  it('stages to a directory and extracts from it', async () => {
    const root = tempDir('filestage');
    const st = await kubetest(
      ['--build=module', `--build-version=${V()}`, `--stage=file://${root}/ci`, '--stage-suffix=rc1'],
      {},
    );
    assert.equal(st.code, 0, st.stderr);
    assert.equal(readFileSync(join(root, 'ci', 'latest.txt'), 'utf8'), `${V()}-rc1`);
    const r = await kubetest([`--extract=file://${root}/ci/latest.txt`, '--deployment=none'], {});
    assert.equal(r.code, 0, r.stderr);
    assertExtracted(r.cwd, V());
  });
});
