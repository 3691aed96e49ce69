import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cachedImage } from './archive.js';
import { handleRegistry, type RegistryIndex } from './registry.js';
import { hostsToml, splitName, writeRegistryIndex } from './registry-index.js';

describe('the run’s image registry', () => {
  const cache = mkdtempSync(join(tmpdir(), 'kubetest-registry-'));
  let server: Server;
  let base: string;
  let layers: string[];

  before(async () => {
    const busybox = await cachedImage(cache, {
      name: 'registry.k8s.io/e2e-test-images/busybox:1.37.0-1',
      sourceDigest: 'test',
      cmd: ['sh'],
      fill: async (root) => writeFileSync(join(root, 'hello'), 'hello\n'),
    });
    const kitten = await cachedImage(cache, {
      name: 'registry.k8s.io/e2e-test-images/kitten:1.8',
      sourceDigest: 'test',
      base: busybox,
      cmd: ['test-webserver'],
      fill: async (root) => writeFileSync(join(root, 'data.json'), '{"image": "kitten.jpg"}\n'),
    });
    layers = kitten.layers;
    const index = JSON.parse(readFileSync(await writeRegistryIndex(cache, [busybox, kitten]), 'utf8')) as RegistryIndex;
    server = createServer((req, res) => handleRegistry(index, req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.close();
    rmSync(cache, { recursive: true, force: true });
  });

  it('serves the API root, a manifest by tag (HEAD and GET), its config and layers with their digests', async () => {
    assert.equal((await fetch(`${base}/v2/`)).status, 200);
    const url = `${base}/v2/e2e-test-images/kitten/manifests/1.8?ns=registry.k8s.io`;
    const head = await fetch(url, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-type'), 'application/vnd.oci.image.manifest.v1+json');
    const res = await fetch(url);
    const body = await res.text();
    const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
    assert.equal(res.headers.get('docker-content-digest'), digest);
    const manifest = JSON.parse(body) as { config: { digest: string }; layers: Array<{ digest: string }> };
    assert.deepEqual(
      manifest.layers.map((l) => l.digest),
      layers.map((d) => `sha256:${d}`),
    );
    const config = (await (
      await fetch(`${base}/v2/e2e-test-images/kitten/blobs/${manifest.config.digest}`)
    ).json()) as {
      config: { Cmd: string[] };
    };
    assert.deepEqual(config.config.Cmd, ['test-webserver']);
    for (const l of manifest.layers) {
      const blob = Buffer.from(
        await (await fetch(`${base}/v2/e2e-test-images/kitten/blobs/${l.digest}`)).arrayBuffer(),
      );
      assert.equal(`sha256:${createHash('sha256').update(blob).digest('hex')}`, l.digest);
    }
    assert.equal((await fetch(`${base}/v2/e2e-test-images/kitten/manifests/${digest}?ns=registry.k8s.io`)).status, 200);
  });

  it('names nothing outside its index: unknown names, tags, digests, other hosts, traversal, writes', async () => {
    const paths = [
      '/v2/e2e-test-images/kitten/manifests/9.9',
      '/v2/e2e-test-images/nope/manifests/1.8',
      '/v2/e2e-test-images/kitten/manifests/1.8?ns=docker.io',
      `/v2/e2e-test-images/kitten/blobs/sha256:${'0'.repeat(64)}`,
      '/v2/e2e-test-images/kitten/blobs/..%2f..%2f..%2fetc%2fpasswd',
      '/v2/../../etc/passwd/blobs/x',
      '/v2/e2e-test-images/kitten/manifests/__proto__',
      '/v2/__proto__/manifests/1.8',
      '/etc/passwd',
    ];
    for (const p of paths) assert.equal((await fetch(`${base}${p}`)).status, 404, p);
    const raw = await new Promise<string>((resolve) => {
      const sock = connect((server.address() as AddressInfo).port, '127.0.0.1', () =>
        sock.end('GET http://[ HTTP/1.1\r\nHost: x\r\n\r\n'),
      );
      let got = '';
      sock.on('data', (d) => (got += d.toString())).on('close', () => resolve(got));
    });
    assert.match(raw, /^HTTP\/1\.1 400/);
    assert.equal((await fetch(`${base}/v2/`)).status, 200, 'still serving');
    const put = await fetch(`${base}/v2/e2e-test-images/kitten/manifests/1.8`, { method: 'PUT', body: '{}' });
    assert.equal(put.status, 405);
  });

  it('names for containerd: host, repository and tag; hosts.toml sends every pull to the run’s registry', () => {
    assert.deepEqual(splitName('registry.k8s.io/e2e-test-images/kitten:1.8'), [
      'registry.k8s.io',
      'e2e-test-images/kitten',
      '1.8',
    ]);
    assert.deepEqual(splitName('registry.k8s.io/pause:3.10.2'), ['registry.k8s.io', 'pause', '3.10.2']);
    assert.equal(
      hostsToml('http://10.99.0.1:5000'),
      'server = "http://10.99.0.1:5000"\n\n[host."http://10.99.0.1:5000"]\n  capabilities = ["pull", "resolve"]\n',
    );
  });
});
