// Health probes and small API requests over HTTPS (client certs) and HTTP.
import { readFileSync } from 'node:fs';
import { request as httpsRequest, type Agent } from 'node:https';
import { request as httpRequest } from 'node:http';

export interface TlsFiles {
  ca?: string;
  cert?: string;
  key?: string;
  insecure?: boolean;
}

export interface RequestOptions {
  method?: string;
  /** Sent as JSON. */
  json?: unknown;
  tls?: TlsFiles;
  timeoutMs?: number;
  /** Shares connections and bounds how many are open at once (many requests to one server). */
  agent?: Agent;
}

/** One HTTP(S) request to a component; the body is read whole (health checks and small API objects). */
export function request(url: string, o: RequestOptions = {}): Promise<{ status: number; body: string }> {
  const tls = o.tls ?? {};
  const body = o.json === undefined ? undefined : JSON.stringify(o.json);
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const opts = {
      method: o.method ?? 'GET',
      host: u.hostname,
      port: u.port,
      path: u.pathname + u.search,
      timeout: o.timeoutMs ?? 2000,
      ...(o.agent ? { agent: o.agent } : {}),
      headers:
        body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
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
    req.end(body);
  });
}

/** What an API error response says (its Status message), or the start of the body. */
export function apiMessage(body: string): string {
  try {
    return (JSON.parse(body) as { message?: string }).message ?? body.slice(0, 200);
  } catch {
    return body.slice(0, 200);
  }
}

export function probe(url: string, tls: TlsFiles = {}, timeoutMs = 2000): Promise<{ status: number; body: string }> {
  return request(url, { tls, timeoutMs });
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
