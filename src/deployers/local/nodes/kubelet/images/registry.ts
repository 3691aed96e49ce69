// A read-only image registry of the run's own images (OCI distribution API, pull only), served by the hub
// forwarder at 10.99.0.1:5000: every node's containerd has it as the only host of each image's registry
// (certs.d hosts.toml), so `imagePullPolicy: Always` and image volumes pull work with nothing leaving the run.
// The index (registry-index.ts) maps names to manifests and digests to files; a request can name nothing else.
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export const REGISTRY_PORT = 5000;

export interface RegistryIndex {
  /** "registry.k8s.io/e2e-test-images/kitten" → tag → manifest digest */
  tags: Record<string, Record<string, string>>;
  /** "sha256:…" → the file and its media type */
  blobs: Record<string, { path: string; mediaType: string }>;
}

function reply(res: ServerResponse, status: number, code: string, message: string): void {
  const body = JSON.stringify({ errors: [{ code, message }] });
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

export function handleRegistry(index: RegistryIndex, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, 'UNSUPPORTED', 'pull only');
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://registry');
  } catch {
    return reply(res, 400, 'UNSUPPORTED', 'bad request target');
  }
  if (url.pathname === '/v2/' || url.pathname === '/v2') {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Docker-Distribution-API-Version': 'registry/2.0' });
    return void res.end('{}');
  }
  const m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(url.pathname);
  if (!m) return reply(res, 404, 'NAME_UNKNOWN', 'not found');
  const repo = `${url.searchParams.get('ns') ?? 'registry.k8s.io'}/${m[1]}`;
  const tags = Object.hasOwn(index.tags, repo) ? index.tags[repo]! : undefined;
  if (!tags) return reply(res, 404, 'NAME_UNKNOWN', `unknown repository ${repo}`);
  const ref = m[3]!;
  const digest = m[2] === 'manifests' && !ref.startsWith('sha256:') ? (Object.hasOwn(tags, ref) ? tags[ref] : '') : ref;
  const b = digest && Object.hasOwn(index.blobs, digest) ? index.blobs[digest]! : undefined;
  if (!b) return reply(res, 404, m[2] === 'manifests' ? 'MANIFEST_UNKNOWN' : 'BLOB_UNKNOWN', `unknown ${ref}`);
  let size: number;
  try {
    size = statSync(b.path).size;
  } catch {
    return reply(res, 404, 'BLOB_UNKNOWN', `${ref} is gone from the cache`);
  }
  res.writeHead(200, { 'Content-Type': b.mediaType, 'Content-Length': size, 'Docker-Content-Digest': digest });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(b.path)
    .on('error', () => res.destroy())
    .pipe(res);
}

/** Serves the index at host:port until the process ends. */
export function serveRegistry(host: string, port: number, indexFile: string): void {
  const index = JSON.parse(readFileSync(indexFile, 'utf8')) as RegistryIndex;
  const server = createServer((req, res) => handleRegistry(index, req, res));
  server.on('error', (e) => {
    process.stderr.write(`registry: ${host}:${port}: ${e.message}\n`);
    process.exit(1);
  });
  server.listen(port, host, () => process.stderr.write(`registry: ${host}:${port} listening\n`));
}
