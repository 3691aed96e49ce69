import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultResolveOptions, extractDirs, locate, parseExtract } from './strategies.js';

const SG = 'https://storage.googleapis.com';
const o = defaultResolveOptions({ localStageDir: '/w/_output/gcs-stage', kubeRoot: '/w/kubernetes' });
const at = (arg: string, opts = o) => {
  const r = locate(parseExtract(arg), opts);
  return { markerUrl: r.markerUrl, releaseUrl: r.releaseUrl, version: r.version };
};

describe('--extract strategies (../shared/reference/kubetest.md §5)', () => {
  const table: Array<[string, string | null, string, string | null]> = [
    ['v1.36.3', null, `${SG}/kubernetes-release/release`, 'v1.36.3'],
    ['v1.37.0-alpha.1', null, `${SG}/kubernetes-release/release`, 'v1.37.0-alpha.1'],
    ['v1.37.0-alpha.0.391+575c4925be8c39', null, `${SG}/k8s-release-dev/ci`, 'v1.37.0-alpha.0.391+575c4925be8c39'],
    ['v1.33.5-gke.1080000', null, `${SG}/gke-release-staging/kubernetes/release`, 'v1.33.5-gke.1080000'],
    ['release/stable', `${SG}/kubernetes-release/release/stable.txt`, `${SG}/kubernetes-release/release`, null],
    [
      'release/stable-1.36',
      `${SG}/kubernetes-release/release/stable-1.36.txt`,
      `${SG}/kubernetes-release/release`,
      null,
    ],
    ['release/latest-1', `${SG}/kubernetes-release/release/latest-1.txt`, `${SG}/kubernetes-release/release`, null],
    ['ci/latest', `${SG}/k8s-release-dev/ci/latest.txt`, `${SG}/k8s-release-dev/ci`, null],
    ['ci/latest-1.36', `${SG}/k8s-release-dev/ci/latest-1.36.txt`, `${SG}/k8s-release-dev/ci`, null],
    ['ci/latest-fast', `${SG}/k8s-release-dev/ci/latest-fast.txt`, `${SG}/k8s-release-dev/ci/fast`, null],
    ['ci/k8s-stable1', `${SG}/k8s-release-dev/ci/k8s-stable1.txt`, `${SG}/k8s-release-dev/ci`, null],
    [
      'ci/gke-staging-latest',
      'gs://gke-release-staging/kubernetes/release/gke-staging-latest.txt',
      `${SG}/gke-release-staging/kubernetes/release`,
      null,
    ],
    ['gs://my-bucket/devel/v1.36.3', null, `${SG}/my-bucket/devel`, 'v1.36.3'],
    ['gs://my-bucket/ci/suffix/v1.36.3-x', null, `${SG}/my-bucket/ci/suffix`, 'v1.36.3-x'],
    ['gs://my-bucket/ci/latest.txt', 'gs://my-bucket/ci/latest.txt', `${SG}/my-bucket/ci`, null],
    ['s3://b/ci/v1.36.3', null, 's3://b/ci', 'v1.36.3'],
    ['s3://b/ci/latest-1.36.txt', 's3://b/ci/latest-1.36.txt', 's3://b/ci', null],
    ['file:///srv/release/v1.36.3', null, 'file:///srv/release', 'v1.36.3'],
    ['https://mirror.example/release/v1.36.3', null, 'https://mirror.example/release', 'v1.36.3'],
    ['local', null, 'file:///w/_output/gcs-stage', null],
    ['bazel', 'file:///w/kubernetes/bazel-bin/version', 'file:///w/kubernetes/bazel-bin/build', null],
  ];
  for (const [arg, markerUrl, releaseUrl, version] of table) {
    it(arg, () => assert.deepEqual(at(arg), { markerUrl, releaseUrl, version }));
  }

  it('gci/FAMILY and gke forms name the gcloud command they need', () => {
    const g = locate(parseExtract('gci/cos-121-lts'), o);
    assert.deepEqual(g.commands, [
      [
        'gcloud',
        'compute',
        'images',
        'describe-from-family',
        'cos-121-lts',
        '--project=container-vm-image-staging',
        '--format=value(name)',
      ],
    ]);
    assert.equal(g.releaseUrl, `${SG}/kubernetes-release/release`);
    const p = parseExtract('gci/cos-beta?project=my-proj:k8s-map-bucket=my-map');
    assert.deepEqual(p, {
      kind: 'gci',
      arg: 'gci/cos-beta?project=my-proj:k8s-map-bucket=my-map',
      family: 'cos-beta',
      project: 'my-proj',
      mapBucket: 'my-map',
    });
    // kubetest reads a gci/FAMILY/MARKER marker with gsutil (setReleaseFromGcs), not over HTTPS
    assert.equal(
      locate(parseExtract('gci/cos-dev/latest-1.36'), o).markerUrl,
      'gs://k8s-release-dev/ci/latest-1.36.txt',
    );
    for (const v of [
      'gke',
      'gke-default',
      'gke-latest',
      'gke-latest-1.36',
      'gke-channel-rapid',
      'gke-channel-stable-1-latest',
    ]) {
      assert.equal(parseExtract(v).kind, 'gke', v);
    }
  });

  it('bucket flags and --extract-base-url change the hosts', () => {
    const m = defaultResolveOptions({ baseUrl: 'http://127.0.0.1:4443', ciBucket: 'ci-b', releaseBucket: 'rel-b' });
    assert.deepEqual(at('ci/latest', m), {
      markerUrl: 'http://127.0.0.1:4443/ci-b/ci/latest.txt',
      releaseUrl: 'http://127.0.0.1:4443/ci-b/ci',
      version: null,
    });
    assert.deepEqual(at('v1.36.3', m), {
      markerUrl: null,
      releaseUrl: 'http://127.0.0.1:4443/rel-b/release',
      version: 'v1.36.3',
    });
    assert.equal(at('gs://x/y/v1.36.3', m).releaseUrl, 'http://127.0.0.1:4443/x/y');
  });

  it('patterns are disjoint: every form matches exactly one', () => {
    for (const [arg] of table) assert.doesNotThrow(() => parseExtract(arg));
  });

  it('rejects unknown forms with a clear message', () => {
    // (gs://bucket alone is kubetest's too: version "bucket" under <storage>/. — it fails at extract time)
    for (const bad of [
      'latest',
      'v1.36',
      'release/foo',
      'ci/',
      'http//x',
      'bazel/v1.36',
      '',
      'gke-latest-1',
      'lokal',
    ]) {
      assert.throws(() => parseExtract(bad), /extraction strategy|bazel\//, bad);
    }
  });

  it('two extracts: first → kubernetes_skew, second → kubernetes', () => {
    assert.deepEqual(extractDirs(1), ['kubernetes']);
    assert.deepEqual(extractDirs(2), ['kubernetes_skew', 'kubernetes']);
  });
});
