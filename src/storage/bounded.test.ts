// Bounded whole-object reads, against a real loopback HTTP server and files: announced and actual sizes over
// the cap, endless chunked bodies, bodies that stall after the headers.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { storeFor } from './index.js';
import { StallError, TooLargeError } from './types.js';

describe('bounded reads', () => {
  let server: Server;
  let base = '';
  const dir = mkdtempSync(join(tmpdir(), 'kubetest-bounded-'));
  before(async () => {
    server = createServer((req, res) => {
      const path = req.url ?? '/';
      if (path === '/small') return void res.end('v1.36.3\n');
      if (path === '/announced') {
        res.writeHead(200, { 'content-length': 1 << 30 });
        return void res.write('v');
      }
      if (path === '/endless') {
        res.writeHead(200);
        const chunk = Buffer.alloc(1024, 'v');
        const more = () => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once('drain', more);
        };
        return more();
      }
      if (path === '/stall') {
        res.writeHead(200, { 'content-length': 100 });
        return void res.write('v1.');
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  const http = () => storeFor(base, {}, { retries: 0, stallMs: 300 });

  it('reads a small object', async () => {
    assert.equal((await (await http()).read(`${base}/small`, undefined, { maxBytes: 4096 })).toString(), 'v1.36.3\n');
  });

  it('refuses an announced size over the cap before reading the body', async () => {
    await assert.rejects((await http()).read(`${base}/announced`, undefined, { maxBytes: 4096 }), (e: Error) => {
      assert.ok(e instanceof TooLargeError);
      assert.equal(e.message, `${base}/announced: larger than 4096 bytes, refusing to read it`);
      return true;
    });
  });

  it('cuts an endless chunked body at the cap', async () => {
    await assert.rejects((await http()).read(`${base}/endless`, undefined, { maxBytes: 4096 }), TooLargeError);
  });

  it('a body that stalls after its headers fails after the stall timeout', async () => {
    const t0 = Date.now();
    await assert.rejects(
      (await http()).read(`${base}/stall`, undefined, { maxBytes: 4096 }),
      (e: Error) => e instanceof StallError && /stall: stalled \(no data for 300ms\)/.test(e.message),
    );
    assert.ok(Date.now() - t0 < 5000);
  });

  it('files are capped too (file:// and plain paths)', async () => {
    const f = join(dir, 'big.sha512');
    writeFileSync(f, Buffer.alloc(10_000, 'a'));
    const store = await storeFor(`file://${f}`, {});
    await assert.rejects(store.read(`file://${f}`, undefined, { maxBytes: 4096 }), TooLargeError);
    assert.equal((await store.read(`file://${f}`, undefined, { maxBytes: 10_000 })).length, 10_000);
  });
});
