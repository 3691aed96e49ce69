// The only "network" the differential runs see: a loopback HTTP proxy (HTTP_PROXY/HTTPS_PROXY) that records
// every request and answers it itself. CONNECT to storage.googleapis.com is intercepted with a throwaway CA
// (SSL_CERT_FILE for the Go binary), so the original's marker reads (https://storage.googleapis.com/.../X.txt)
// are seen and answered with a version; Boskos requests are recorded and refused. Nothing leaves 127.0.0.1.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { tempDir } from '../helpers/tmp.js';

export interface Proxy {
  url: string;
  caFile: string;
  /** Requests seen, as "METHOD URL" (https ones with their full URL). */
  seen: string[];
  close(): Promise<void>;
}

/** Every marker read answers with this version (the get-kube.sh stub records what it was given). */
export const MARKER_VERSION = 'v1.99.0-alpha.1';

let made: { caFile: string; key: Buffer; cert: Buffer } | undefined;

/** One throwaway CA and leaf per test process. */
function certs(): { caFile: string; key: Buffer; cert: Buffer } {
  if (made) return made;
  const d = tempDir('diff-ca');
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: d, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=differential-ca');
  run('req', ...ec, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=storage.googleapis.com');
  writeFileSync(join(d, 'ext'), 'subjectAltName=DNS:storage.googleapis.com\n');
  const cert = run(
    'x509',
    '-req',
    '-in',
    'leaf.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    'ext',
  );
  made = { caFile: join(d, 'ca.pem'), key: readFileSync(join(d, 'leaf.key')), cert };
  return made;
}

export async function startProxy(): Promise<Proxy> {
  const seen: string[] = [];
  const { caFile, key, cert } = certs();
  const answer = (full: string, res: ServerResponse) => {
    seen.push(full);
    if (/^GET https:\/\/storage\.googleapis\.com\/.+\.txt$/.test(full)) {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`${MARKER_VERSION}\n`);
      return;
    }
    res.writeHead(503).end('the differential suite has no network\n');
  };
  const tls = createHttpsServer({ key, cert }, (req: IncomingMessage, res: ServerResponse) =>
    answer(`${req.method} https://${req.headers.host ?? 'storage.googleapis.com'}${req.url}`, res),
  );
  const server: Server = createServer((req, res) => answer(`${req.method} ${req.url}`, res));
  server.on('connect', (req: IncomingMessage, socket: Socket) => {
    seen.push(`CONNECT ${req.url}`);
    if (!req.url?.startsWith('storage.googleapis.com:')) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    tls.emit('connection', socket);
  });
  const sockets = new Set<Socket>();
  server.on('connection', (sock: Socket) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    caFile,
    seen,
    close: () =>
      new Promise<void>((r) => {
        // Tunnelled (CONNECT) sockets are not the HTTP server's any more: end them too.
        for (const sock of sockets) sock.destroy();
        if (!server.listening) return r();
        server.close(() => r());
      }),
  };
}
