import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { nodeReadiness, probe, request } from './health.js';

describe('requests to a component', () => {
  const seen: Array<{ method: string; url: string; type: string | undefined; body: string }> = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, type: req.headers['content-type'], body });
      if (req.url === '/slow') return; // never answers
      res.statusCode = req.method === 'POST' ? 201 : 200;
      res.end(req.method === 'POST' ? body : 'ok');
    });
  });
  let base = '';
  before(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  it('GETs a health path; POSTs an object as JSON and reads the answer whole', async () => {
    assert.deepEqual(await probe(`${base}/livez/ping`), { status: 200, body: 'ok' });
    const node = { kind: 'Node', metadata: { name: 'kwok-node-0' } };
    const r = await request(`${base}/api/v1/nodes`, { method: 'POST', json: node });
    assert.equal(r.status, 201);
    assert.deepEqual(JSON.parse(r.body), node);
    assert.deepEqual(seen.slice(-2), [
      { method: 'GET', url: '/livez/ping', type: undefined, body: '' },
      { method: 'POST', url: '/api/v1/nodes', type: 'application/json', body: JSON.stringify(node) },
    ]);
  });

  it('a component that does not answer is a timeout, not a hang', async () => {
    await assert.rejects(request(`${base}/slow`, { timeoutMs: 200 }), /timeout/);
  });

  it('counts Ready nodes', () => {
    const ready = { status: { conditions: [{ type: 'Ready', status: 'True' }] } };
    const notReady = { status: { conditions: [{ type: 'Ready', status: 'False' }] } };
    assert.deepEqual(nodeReadiness(JSON.stringify({ items: [ready, notReady, {}] })), { ready: 1, total: 3 });
  });
});
