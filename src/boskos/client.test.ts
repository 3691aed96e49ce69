import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { BoskosClient, LeaseLostError } from './client.js';

// A scripted HTTP server: each request takes the next answer (status, body) of the list for its path.
let server: Server;
let url = '';
const script = new Map<string, Array<[number, string]>>();
const seen: string[] = [];
before(async () => {
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const path = new URL(req.url!, 'http://x').pathname;
    const [status, body] = script.get(path)?.shift() ?? [500, 'unscripted'];
    res.writeHead(status).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  url = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
});
after(() => server.close());

const client = () => new BoskosClient({ url, owner: 'job', acquirePollMs: 50, retries: 2 });
const resource = JSON.stringify({ name: 'p-1', type: 't', state: 'busy', owner: 'job' });

describe('BoskosClient', () => {
  it('acquire: waits while nothing is free (404), keeps one request id, returns the resource', async () => {
    seen.length = 0;
    script.set('/acquire', [
      [404, 'no resource'],
      [404, 'no resource'],
      [200, resource],
    ]);
    const r = await client().acquire('t', 5000);
    assert.equal(r.name, 'p-1');
    const ids = new Set(seen.map((s) => new URL(s.split(' ')[1]!, 'http://x').searchParams.get('request_id')));
    assert.equal(seen.length, 3);
    assert.equal(ids.size, 1);
    assert.match(seen[0]!, /^POST \/acquire\?type=t&state=free&dest=busy&owner=job&request_id=[0-9a-f-]{36}$/);
  });

  it('acquire: gives up after the wait with the last answer', async () => {
    script.set(
      '/acquire',
      Array.from({ length: 50 }, () => [404, 'no free t'] as [number, string]),
    );
    const t0 = Date.now();
    await assert.rejects(
      client().acquire('t', 300),
      /no free t in Boskos at http:\/\/127.0.0.1:\d+ within 0s .*no free t/,
    );
    assert.ok(Date.now() - t0 >= 300);
  });

  it('5xx answers are retried; a name that is not a project name is refused', async () => {
    script.set('/acquire', [
      [503, 'later'],
      [200, JSON.stringify({ name: '../../etc' })],
    ]);
    await assert.rejects(client().acquire('t', 5000), /without a usable resource name/);
    script.set('/acquire', [[200, 'not json']]);
    await assert.rejects(client().acquire('t', 1000), /not JSON/);
  });

  it('update and release: 401/404/409 mean the lease is lost', async () => {
    script.set('/update', [[401, 'owner \u001b[31mmismatch']]);
    await assert.rejects(
      client().update('p-1'),
      (e) => e instanceof LeaseLostError && /HTTP 401: owner \?\[31mmismatch/.test(e.message),
    );
    script.set('/release', [[200, '']]);
    await client().release('p-1');
    assert.match(seen.at(-1)!, /^POST \/release\?name=p-1&dest=dirty&owner=job$/);
  });

  it('bad URLs and a missing owner are refused before any request', () => {
    assert.throws(() => new BoskosClient({ url: 'ftp://x', owner: 'o' }), /not http/);
    assert.throws(() => new BoskosClient({ url: 'no url', owner: 'o' }), /invalid Boskos URL/);
    assert.throws(() => new BoskosClient({ url, owner: '' }), /owner is needed/);
  });
});
