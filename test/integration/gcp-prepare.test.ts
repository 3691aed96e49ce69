// kubetest's GCP preparation, run for real against recording stubs (gcloud, the cluster scripts) with
// CLOUDSDK_CONFIG in a temp dir, and the Cloud SDK tarball served by fake-gcs-server: service account
// activation, the project, the ssh key check, then --gcp-cloud-sdk's install with its bin/ first on PATH
// for every later step. A hostile SDK tarball fails Prepare and writes nothing outside ~/cloudsdk.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeScratch, observeIn, OURS } from '../differential/harness.js';
import { REPO } from '../helpers/cli.js';
import { rawTarGz } from '../helpers/rawtar.js';
import { createGcsBucket, startFakeGcs, type Running } from '../helpers/servers.js';
import { tempDir } from '../helpers/tmp.js';

let gcs: Running;
before(async () => {
  gcs = await startFakeGcs();
  await createGcsBucket(gcs.url, 'sdk');
});
after(async () => {
  await gcs?.stop();
});

async function put(name: string, data: Buffer): Promise<void> {
  const r = await fetch(`${gcs.url}/upload/storage/v1/b/sdk/o?uploadType=media&name=${encodeURIComponent(name)}`, {
    method: 'POST',
    body: new Uint8Array(data),
  });
  assert.ok(r.ok, `upload ${name}: HTTP ${r.status}`);
}

// The harness points HTTP(S)_PROXY at a dead port (no network); the emulator on loopback is reached directly.
const LOOPBACK_DIRECT = { NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1' };
const recorder = join(REPO, 'test', 'fixtures', 'recorder.mjs');
const sdkTarball = (root: string) =>
  rawTarGz([
    { path: 'google-cloud-sdk/', type: 'Directory' },
    { path: 'google-cloud-sdk/bin/', type: 'Directory' },
    {
      path: 'google-cloud-sdk/install.sh',
      type: 'File',
      mode: 0o755,
      body: `#!/bin/sh\nexec '${process.execPath}' '${recorder}' '${root}' sdk-install "$@"\n`,
    },
    {
      path: 'google-cloud-sdk/bin/gcloud',
      type: 'File',
      mode: 0o755,
      body: `#!/bin/sh\nexec '${process.execPath}' '${recorder}' '${root}' sdk-gcloud "$@"\n`,
    },
  ]);

interface Rec {
  tool: string;
  ev: string;
  argv: string[];
  env: Record<string, string>;
}

describe('GCP preparation (recording gcloud, CLOUDSDK_CONFIG in a temp dir)', () => {
  it('activates the service account, sets the project, checks the key, installs the Cloud SDK first on PATH', async () => {
    const s = makeScratch({ name: 'prep', args: [] }, 'prep');
    await put('release-1/google-cloud-sdk.tar.gz', sdkTarball(s.root));
    const key = join(s.root, 'sa.json');
    writeFileSync(key, '{"type":"service_account"}');
    const config = tempDir('cloudsdk-config');
    const o = await observeIn(
      OURS,
      {
        name: 'prep',
        args: [
          '--provider=gce',
          '--gcp-project=proj-1',
          '--gcp-zone=us-central1-b',
          `--gcp-service-account=${key}`,
          '--gcp-cloud-sdk=gs://sdk/release-1',
          '--up',
          '--down',
        ],
        env: { CLOUDSDK_CONFIG: config, KUBETEST_GCS_ENDPOINT: gcs.url, ...LOOPBACK_DIRECT },
        behaviors: { gcloud: [{ match: 'project-info describe', stdout: 'nothing about our key\n' }] },
      },
      s,
      'http://127.0.0.1:9',
    );
    assert.equal(o.exit, '0', o.stderr);
    const recs = readFileSync(join(s.root, 'rec.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Rec)
      .filter((r) => r.ev === 'call');
    const calls = recs.map((r) => [r.tool, ...r.argv].join(' '));
    const sdkBin = join(s.root, 'home', 'cloudsdk', 'google-cloud-sdk', 'bin');
    assert.deepEqual(calls.slice(0, 9), [
      `gcloud auth activate-service-account --key-file=${key}`,
      'gcloud config set project proj-1',
      'gcloud compute --project=proj-1 project-info describe',
      'gcloud compute --project=proj-1 config-ssh',
      'sdk-install --disable-installation-options --bash-completion=false --path-update=false --usage-reporting=false',
      'sdk-gcloud components install alpha --quiet',
      'sdk-gcloud components install beta --quiet',
      'sdk-gcloud info',
      'e2e-down.sh',
    ]);
    for (const r of recs) assert.equal(r.env['CLOUDSDK_CONFIG'], config, `${r.tool} sees CLOUDSDK_CONFIG`);
    const up = recs.find((r) => r.tool === 'e2e-up.sh')!;
    assert.ok(up.env['PATH']!.startsWith(`${sdkBin}:`), up.env['PATH']);
  });

  it('a hostile SDK tarball fails Prepare in one line and writes nothing outside ~/cloudsdk', async () => {
    const s = makeScratch({ name: 'evil', args: [] }, 'evil');
    await put(
      'evil/google-cloud-sdk.tar.gz',
      rawTarGz([{ path: 'google-cloud-sdk/../../escaped', type: 'File', mode: 0o644, body: 'x' }]),
    );
    const o = await observeIn(
      OURS,
      {
        name: 'evil',
        args: ['--provider=gce', '--gcp-project=p', '--gcp-zone=z', '--gcp-cloud-sdk=gs://sdk/evil', '--up', '--down'],
        env: { KUBETEST_GCS_ENDPOINT: gcs.url, ...LOOPBACK_DIRECT },
        behaviors: { gcloud: [{ match: 'project-info describe', stdout: 'ssh-rsa AAAA test\n' }] },
      },
      s,
      'http://127.0.0.1:9',
    );
    assert.equal(o.exit, '1');
    assert.match(o.stderr, /\[Prepare\] FAILED \([^)]*\): [^\n]*escaped[^\n]*\n/);
    assert.equal(existsSync(join(s.root, 'home', 'escaped')), false);
    assert.equal(existsSync(join(s.root, 'escaped')), false);
    assert.ok(
      o.calls.every((c) => c.tool !== 'e2e-up.sh'),
      'no cluster after a failed Prepare',
    );
  });
});
