// Real servers the tests start on free loopback ports and always stop: fake-gcs-server, gofakes3, and
// a plain HTTP server that can misbehave on purpose.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createReadStream, existsSync, statSync, writeFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { freePort } from '../../src/deployers/local/ports.js';
import { startDaemon } from '../../src/process/daemon.js';
import { killTree, sleep } from '../../src/process/proctable.js';
import { peers } from './peers.js';
import { tempDir } from './tmp.js';

export interface Running {
  url: string;
  port: number;
  stop(): Promise<void>;
}

async function waitHttp(url: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const r = await fetch(url);
      if (r.status < 500) return;
    } catch {
      // not yet
    }
    if (Date.now() > until) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await sleep(100);
  }
}

async function startBinary(argv: string[], readyPath: string, port: number, name: string): Promise<Running> {
  const dir = tempDir(name);
  const d = await startDaemon(argv, { logFile: join(dir, `${name}.log`) });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitHttp(`${url}${readyPath}`);
  } catch (e) {
    await killTree(d.pid, 1000);
    throw e;
  }
  return { url, port, stop: async () => void (await killTree(d.pid, 2000)) };
}

/** fake-gcs-server over HTTP, filesystem backend, path-style public host on the same port. */
export async function startFakeGcs(): Promise<Running & { root: string }> {
  const port = await freePort();
  const root = tempDir('gcs-data');
  const url = `http://127.0.0.1:${port}`;
  const r = await startBinary(
    [
      peers().fakeGcs,
      '-scheme',
      'http',
      '-host',
      '127.0.0.1',
      '-port',
      String(port),
      '-backend',
      'filesystem',
      '-filesystem-root',
      root,
      '-external-url',
      url,
      '-public-host',
      `127.0.0.1:${port}`,
      '-log-level',
      'warn',
    ],
    '/_internal/healthcheck',
    port,
    'fake-gcs',
  );
  return { ...r, root };
}

export async function createGcsBucket(endpoint: string, bucket: string): Promise<void> {
  const r = await fetch(`${endpoint}/storage/v1/b?project=test`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: bucket }),
  });
  if (!r.ok) throw new Error(`create bucket ${bucket}: HTTP ${r.status} ${await r.text()}`);
}

/** gofakes3 with an in-memory backend and one bucket. */
export async function startGofakes3(bucket: string): Promise<Running> {
  const port = await freePort();
  return startBinary(
    [peers().gofakes3, '-backend', 'memory', '-host', `127.0.0.1:${port}`, '-initialbucket', bucket],
    '/',
    port,
    'gofakes3',
  );
}

export type Fault = 'none' | '404' | '500-once' | 'stall' | 'truncate' | 'garbage';

/** Serves `root` over HTTP; `faults` maps a request path to how it misbehaves. Counts requests per path. */
export async function startFileServer(
  root: string,
  faults: Record<string, Fault | string> = {},
): Promise<Running & { hits: Map<string, number>; faults: Record<string, Fault | string> }> {
  const hits = new Map<string, number>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const n = (hits.get(path) ?? 0) + 1;
    hits.set(path, n);
    const fault = faults[path] ?? 'none';
    if (fault === '404') return void res.writeHead(404).end('not found');
    if (fault === '500-once' && n === 1) return void res.writeHead(500).end('oops');
    if (fault !== 'none' && fault !== '500-once' && fault !== 'stall' && fault !== 'truncate') {
      // A literal body (e.g. a garbage marker or a wrong checksum).
      return void res.writeHead(200, { 'content-type': 'text/plain' }).end(fault);
    }
    const file = normalize(join(root, path));
    if (!file.startsWith(root) || !existsSync(file) || statSync(file).isDirectory())
      return void res.writeHead(404).end('not found');
    const size = statSync(file).size;
    if (req.method === 'HEAD') return void res.writeHead(200, { 'content-length': size }).end();
    if (fault === 'stall') {
      res.writeHead(200, { 'content-length': size });
      const s = createReadStream(file, { start: 0, end: Math.floor(size / 2) - 1 });
      s.on('data', (c) => res.write(c));
      return; // then nothing: the client must give up
    }
    if (fault === 'truncate') {
      res.writeHead(200, { 'content-length': size });
      const s = createReadStream(file, { start: 0, end: Math.floor(size / 2) });
      s.on('data', (c) => res.write(c));
      s.on('end', () => res.destroy());
      return;
    }
    res.writeHead(200, { 'content-length': size });
    createReadStream(file).pipe(res);
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    hits,
    faults,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export interface BoskosServer extends Running {
  /** Boskos' own view of a type: how many resources are in each state, and who owns how many. */
  metric(type: string): Promise<{ current: Record<string, number>; owner: Record<string, number> }>;
  /** What the reaper does: moves resources of `type` in `state` not updated for `expire` to `dest`. */
  reset(type: string, state: string, expire: string, dest: string): Promise<Record<string, string>>;
  /** Takes a resource as another job would (POST /acquire). */
  acquire(type: string, owner: string, state?: string, dest?: string): Promise<string>;
  release(name: string, owner: string, dest: string): Promise<void>;
}

/** The real Boskos server with its in-memory store, seeded with `resources` (type → names, all free). */
export async function startBoskos(resources: Record<string, string[]>): Promise<BoskosServer> {
  const [port, metricsPort, healthPort, pprofPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const dir = tempDir('boskos');
  const config = join(dir, 'config.yaml');
  const entries = Object.entries(resources).map(([type, names]) => ({ type, state: 'free', names }));
  writeFileSync(config, JSON.stringify({ resources: entries }));
  const r = await startBinary(
    [
      peers().boskos,
      '--in_memory',
      `--config=${config}`,
      `--port=${port}`,
      `--metrics-port=${metricsPort}`,
      `--health-port=${healthPort}`,
      `--pprof-port=${pprofPort}`,
      '--log-level=info',
    ],
    '/',
    port,
    'boskos',
  );
  const call = async (method: 'GET' | 'POST', path: string, q: Record<string, string>) => {
    const res = await fetch(`${r.url}${path}?${new URLSearchParams(q).toString()}`, { method });
    const body = await res.text();
    if (!res.ok) throw new Error(`boskos ${path}: HTTP ${res.status} ${body}`);
    return JSON.parse(body) as unknown;
  };
  return {
    ...r,
    metric: async (type) => (await call('GET', '/metric', { type })) as Awaited<ReturnType<BoskosServer['metric']>>,
    reset: async (type, state, expire, dest) =>
      (await call('POST', '/reset', { type, state, expire, dest })) as Record<string, string>,
    acquire: async (type, owner, state = 'free', dest = 'busy') =>
      ((await call('POST', '/acquire', { type, state, dest, owner })) as { name: string }).name,
    release: async (name, owner, dest) => {
      const res = await fetch(`${r.url}/release?${new URLSearchParams({ name, owner, dest }).toString()}`, {
        method: 'POST',
      });
      if (!res.ok) throw new Error(`boskos /release: HTTP ${res.status} ${await res.text()}`);
    },
  };
}
