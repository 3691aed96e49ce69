// Every --extract form kubetest's strategy table accepts (kubetest/extract_k8s.go), resolved by the original
// and by ours. The original really runs: its gsutil and gcloud are recording stubs, its marker reads over
// HTTPS go to the loopback proxy (which answers with a version), and its get-kube.sh is a stub that records
// KUBERNETES_RELEASE_URL and KUBERNETES_RELEASE. Ours prints its plan (--dry-run=json). Both must name the
// same marker, the same release URL, the same version (where ours knows it without asking), and the same
// gcloud commands.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gkeVersion } from '../../src/release/extract.js';
import type { PlanJson } from '../../src/run/dryrun.js';
import { runInProcess } from '../helpers/cli.js';
import { originalKubetest } from './anchor.js';
import { makeScratch, observe, pool, type Behavior, type Obs } from './harness.js';
import { MARKER_VERSION, startProxy, type Proxy } from './proxy.js';

const CHANNELS = {
  channels: [
    {
      channel: 'RAPID',
      defaultVersion: '1.31.1-gke.2',
      validVersions: ['1.31.1-gke.2', '1.30.6-gke.1', '1.29.9-gke.3'],
    },
    { channel: 'REGULAR', defaultVersion: '1.30.5-gke.1', validVersions: ['1.30.5-gke.1', '1.29.8-gke.1'] },
    {
      channel: 'STABLE',
      defaultVersion: '1.29.8-gke.1',
      validVersions: ['1.29.8-gke.1', '1.30.4-gke.7', '1.28.1-gke.1'],
    },
  ],
};
const GCLOUD: Behavior[] = [
  { match: 'describe-from-family', stdout: 'cos-img-123\n' },
  { match: 'value(defaultClusterVersion)', stdout: '1.30.5-gke.1\n' },
  { match: 'value(validMasterVersions)', stdout: '1.31.1-gke.2;1.30.5-gke.1;1.29.9-gke.3\n' },
  { match: 'json(channels)', stdout: JSON.stringify(CHANNELS) },
];
const GSUTIL: Behavior[] = [{ match: 'k8s-version-map', stdout: '1.99.0\n' }, { stdout: `${MARKER_VERSION}\n` }];

/** Forms kubetest accepts that resolve alike; the comment says which table entry. */
const FORMS = [
  'v1.36.3', // version
  'v1.36.0-beta.2',
  'v1.37.0-alpha.1.123+0123456789abcd', // version with + → ci bucket
  'v1.30.5-gke.1', // version -gke. → gke bucket
  'release/stable', // stable
  'release/stable-1.36',
  'release/latest', // rc
  'release/latest-1.36',
  'release/latest-1.36.x', // release/(latest.*): anything after
  'ci/latest', // ci
  'ci/latest-1.36',
  'ci/k8s-master/nested-marker', // ci/(.+): nested markers
  'ci/latest-fast', // ciFast
  'ci/latest-1.36-fast',
  'ci/gke-staging-latest', // ci/gke-… → gsutil on the gke bucket
  'ci/gke-staging-fast', // -fast wins over gke-
  'gs://my-bucket/ci/v1.36.4', // gcs
  'gs://my-bucket/ci/latest.txt', // gcs marker
  'gs://my-bucket//deep/path/latest-1.36.txt',
  'gs://my-bucket/x.y.txt',
  'gci/cos-stable', // gci
  'gci/cos-stable?project=p1:k8s-map-bucket=m1',
  'gci/cos-stable?k8s-map-bucket=m1:project=p1',
  'gci/cos-dev/latest-1.36', // gciCi
  'gci/cos-dev?project=p1/k8s-master/nested',
  'gke', // gke (deprecated spelling)
  'gke-default',
  'gkedefault', // gke-? : the hyphen is optional
  'gke-latest',
  'gke-latest-1.30',
  'gke-latest-1.30.5-gke',
  'gke-channel-rapid',
  'gke-channel-regular-latest',
  'gke-channel-stable-1-latest',
  'ci/$MARKER', // os.ExpandEnv
];
const ENV = { MARKER: 'latest-1.35' };
const GCP = ['--gcp-project=p', '--gcp-zone=us-central1-b'];

interface Resolved {
  marker: string | null;
  releaseUrl: string | null;
  version: string | null;
  gcloud: string[][];
}

function fromOriginal(o: Obs, seen: string[]): Resolved {
  const https = seen.filter((x) => x.startsWith('GET https://')).map((x) => x.slice('GET '.length));
  const gs = o.calls.filter((c) => c.tool === 'gsutil').map((c) => c.argv[1]!);
  const kube = o.calls.find((c) => c.tool === 'get-kube.sh');
  return {
    marker: [...https, ...gs][0] ?? null,
    releaseUrl: kube?.env['KUBERNETES_RELEASE_URL'] ?? null,
    version: kube?.env['KUBERNETES_RELEASE'] ?? null,
    gcloud: o.calls.filter((c) => c.tool === 'gcloud').map((c) => ['gcloud', ...c.argv]),
  };
}

describe('differential: every --extract form of the original resolves alike in ours', () => {
  const proxies: Proxy[] = [];
  const orig: Record<string, { o: Obs; r: Resolved }> = {};
  before(async () => {
    const bin = originalKubetest();
    // Each run has its own loopback proxy, so its log tells which marker that run read.
    const forms = [...FORMS, 'local', 'bazel', 'bazel/v1.36.3'];
    await pool(forms, 4, async (form) => {
      const proxy = await startProxy();
      proxies.push(proxy);
      const o = await observe(
        [bin],
        {
          name: form,
          args: [`--extract=${form}`, ...GCP],
          cwd: 'root',
          env: { ...ENV, SSL_CERT_FILE: proxy.caFile },
          behaviors: { gcloud: GCLOUD, gsutil: GSUTIL, 'get-kube.sh': { mkdir: ['kubernetes'] } },
          files: {
            'gopath/src/k8s.io/kubernetes/_output/gcs-stage/v1.36.9/.keep': '',
            'gopath/src/k8s.io/kubernetes/bazel-bin/version': 'v1.36.8\n',
            'gopath/src/k8s.io/kubernetes/bazel-bin/build/release-tars/.keep': '',
          },
        },
        'x',
        proxy.url,
      );
      orig[form] = { o, r: fromOriginal(o, proxy.seen) };
      await proxy.close();
    });
  });
  after(() => Promise.all(proxies.map((p) => p.close())));

  const ours = async (form: string): Promise<PlanJson> => {
    const s = makeScratch({ name: form, args: [] }, 'xu');
    const r = await runInProcess([`--extract=${form}`, ...GCP, '--dry-run=json'], { cwd: s.root, env: ENV });
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as PlanJson;
  };

  for (const form of FORMS) {
    it(form, async () => {
      const { o, r } = orig[form]!;
      assert.equal(o.exit, '0', `the original resolved ${form}:\n${o.stderr.slice(-1500)}`);
      const p = await ours(form);
      const e = p.extract[0]!;
      const planned = p.commands.filter((c) => c.step === 'Extract').map((c) => c.argv);
      // Ours plans without asking: placeholders stand for what gcloud answers.
      const marker = e.markerUrl?.replace('<image>', 'cos-img-123').replace('<X.Y of defaultClusterVersion>', '1.30');
      assert.equal(marker ?? null, r.marker, 'marker');
      assert.equal(e.releaseUrl, r.releaseUrl, 'release URL');
      assert.deepEqual(planned, r.gcloud, 'gcloud commands');
      if (e.version !== null) assert.equal(e.version, r.version, 'version');
      else if (e.markerUrl?.includes('k8s-version-map')) assert.equal(r.version, 'v1.99.0');
      else if (e.markerUrl) assert.equal(r.version, MARKER_VERSION, 'the marker was read');
      else {
        // gke-latest / gke-channel: the version comes from gcloud's answer; ours picks the same one.
        const call = o.calls.find((c) => c.tool === 'gcloud')!;
        const out = GCLOUD.find((b) => call.argv.join(' ').includes(b.match!))!.stdout!.trim();
        const variant = form.replace(/^gke-?/, 'gke-');
        assert.equal(gkeVersion(variant, out), r.version, 'version picked from gcloud');
      }
    });
  }

  it('local and bazel: kubetest reads $GOPATH/src/k8s.io/kubernetes, ours the current tree (documented)', async () => {
    for (const [form, sub] of [
      ['local', '_output/gcs-stage'],
      ['bazel', 'bazel-bin/build'],
    ] as const) {
      const { o, r } = orig[form]!;
      assert.equal(o.exit, '0', o.stderr.slice(-1500));
      assert.equal(r.releaseUrl, `file://<ROOT>/gopath/src/k8s.io/kubernetes/${sub}`);
      const e = (await ours(form)).extract[0]!;
      assert.match(e.releaseUrl, new RegExp(`^file:///.*/${sub.replace('/', '\\/')}$`));
      assert.ok(!e.releaseUrl.includes('/gopath/'), 'ours: the current tree (or --build-output)');
    }
  });

  it('bazel/VERSION: kubetest accepts it and runs get-kube.sh with an empty URL; ours refuses it (documented)', async () => {
    const { r } = orig['bazel/v1.36.3']!;
    assert.equal(r.releaseUrl, '');
    assert.equal(r.version, 'bazel/v1.36.3');
    const s = makeScratch({ name: 'bazel/', args: [] }, 'xu');
    const u = await runInProcess(['--extract=bazel/v1.36.3', '--dry-run=json'], { cwd: s.root, env: {} });
    assert.equal(u.code, 2);
    assert.match(u.stderr, /bazel\/ form was removed/);
  });

  it(`covers ${FORMS.length + 3} forms`, () => assert.ok(FORMS.length >= 30));
});
