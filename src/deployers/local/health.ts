// Health probes over HTTPS (client certs) and HTTP, with the component's own log quoted on failure.
import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';

export interface TlsFiles {
  ca?: string;
  cert?: string;
  key?: string;
  insecure?: boolean;
}

export function probe(url: string, tls: TlsFiles = {}, timeoutMs = 2000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const opts = {
      method: 'GET',
      host: u.hostname,
      port: u.port,
      path: u.pathname + u.search,
      timeout: timeoutMs,
      ...(u.protocol === 'https:'
        ? {
            ca: tls.ca ? readFileSync(tls.ca) : undefined,
            cert: tls.cert ? readFileSync(tls.cert) : undefined,
            key: tls.key ? readFileSync(tls.key) : undefined,
            rejectUnauthorized: !tls.insecure,
          }
        : {}),
    };
    const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(opts, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

export { poll as waitFor } from '../../util/poll.js';

/** Nodes in `kubectl get nodes -o json`, and how many of them are Ready. */
export function nodeReadiness(nodesJson: string): { ready: number; total: number } {
  const items = (
    JSON.parse(nodesJson) as { items: Array<{ status?: { conditions?: Array<{ type: string; status: string }> } }> }
  ).items;
  const ready = items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  return { ready: ready.length, total: items.length };
}
