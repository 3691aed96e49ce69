// Health probes over HTTPS (client certs) and HTTP, with the component's own log quoted on failure.
import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { sleep } from '../../process/proctable.js';

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

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  signal?: AbortSignal;
  /** Checked between probes: a component that died will never become ready. */
  alive?: () => boolean;
  what: string;
}

/** Polls until `check` resolves true. Rejects with the last error, or when the process died. */
export async function waitFor(check: () => Promise<boolean>, o: WaitOptions): Promise<void> {
  const until = Date.now() + o.timeoutMs;
  let last = 'not ready';
  for (;;) {
    if (o.signal?.aborted) throw o.signal.reason;
    try {
      if (await check()) return;
    } catch (e) {
      last = (e as Error).message;
    }
    if (o.alive && !o.alive()) throw new Error(`${o.what} exited before it became ready`);
    if (Date.now() > until)
      throw new Error(`${o.what} was not ready within ${Math.round(o.timeoutMs / 1000)}s (${last})`);
    await sleep(o.intervalMs ?? 100, o.signal);
  }
}
