// A Boskos client (../shared/reference/kubetest.md §11): acquire a resource of a type, keep it busy with
// heartbeats, release it. Every request is bounded (time and body size); acquire waits for a free resource
// with one request id, so Boskos keeps the request's place in its queue while we wait.
import { randomUUID } from 'node:crypto';
import { printable } from '../util/printable.js';
import { sleep } from '../util/sleep.js';

export interface BoskosResource {
  name: string;
  type: string;
  state: string;
  owner: string;
}

export interface BoskosClientOptions {
  url: string;
  owner: string;
  /** Per request (default 30 s). */
  requestTimeoutMs?: number;
  /** Transport errors and 5xx are retried this many times, 1 s, 4 s, 9 s ... apart (kubetest: 4). */
  retries?: number;
  /** Between acquire attempts while no resource is free (kubetest: 3 s). */
  acquirePollMs?: number;
}

/** Boskos answered: the resource is not ours (401), gone (404) or in another state (409). */
export class LeaseLostError extends Error {
  constructor(
    readonly resource: string,
    readonly status: number,
    detail: string,
  ) {
    super(`Boskos no longer gives ${resource} to us (HTTP ${status}: ${detail})`);
  }
}

const MAX_BODY = 1 << 20;
const LOST = new Set([401, 404, 409]);

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`HTTP ${status}${body ? `: ${body}` : ''}`);
  }
}

export class BoskosClient {
  readonly url: string;
  readonly owner: string;
  private readonly requestTimeoutMs: number;
  private readonly retries: number;
  private readonly acquirePollMs: number;

  constructor(o: BoskosClientOptions) {
    let u: URL;
    try {
      u = new URL(o.url);
    } catch {
      throw new Error(`invalid Boskos URL ${JSON.stringify(o.url)}`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`invalid Boskos URL ${o.url}: not http(s)`);
    if (u.username || u.password) throw new Error('invalid Boskos URL: credentials in it would be logged');
    if (!o.owner) throw new Error('a Boskos owner is needed ($JOB_NAME)');
    this.url = u.href.replace(/\/+$/, '');
    this.owner = o.owner;
    this.requestTimeoutMs = o.requestTimeoutMs ?? 30_000;
    this.retries = o.retries ?? 4;
    this.acquirePollMs = o.acquirePollMs ?? 3000;
  }

  /** Waits up to `waitMs` for a resource of `type` in `state`, and moves it to `dest` for us. */
  async acquire(type: string, waitMs: number, signal?: AbortSignal, state = 'free', dest = 'busy') {
    const requestId = randomUUID();
    const until = Date.now() + waitMs;
    let last = '';
    for (;;) {
      try {
        const q = { type, state, dest, owner: this.owner, request_id: requestId };
        const body = await this.post('/acquire', q, signal, until);
        return parseResource(body);
      } catch (e) {
        // Nothing free yet (404), or the type is unknown to this Boskos (also 404): wait, as kubetest does.
        if (!(e instanceof HttpError) || (e.status !== 404 && e.status !== 401)) throw this.wrap('acquire', e);
        last = e.message;
      }
      const left = until - Date.now();
      if (left <= 0) {
        const secs = Math.round(waitMs / 1000);
        throw new Error(`no ${state} ${type} in Boskos at ${this.url} within ${secs}s (last answer: ${last})`);
      }
      await sleep(Math.min(this.acquirePollMs, left), signal);
    }
  }

  /** The heartbeat: keeps `name` in `state` (and ours). */
  async update(name: string, state = 'busy', signal?: AbortSignal): Promise<void> {
    await this.expectOurs(name, () => this.post('/update', { name, owner: this.owner, state }, signal));
  }

  async release(name: string, dest = 'dirty', signal?: AbortSignal): Promise<void> {
    await this.expectOurs(name, () => this.post('/release', { name, dest, owner: this.owner }, signal));
  }

  private async expectOurs(name: string, call: () => Promise<string>): Promise<void> {
    try {
      await call();
    } catch (e) {
      if (e instanceof HttpError && LOST.has(e.status)) throw new LeaseLostError(name, e.status, e.body);
      throw this.wrap(`update of ${name}`, e);
    }
  }

  private wrap(what: string, e: unknown): Error {
    return new Error(`Boskos ${what} at ${this.url} failed: ${(e as Error).message}`);
  }

  /** POST with the query; transport errors and 5xx are retried; other HTTP errors are thrown as HttpError. */
  /** `deadline` (epoch ms) bounds the attempts and each one's wait, as acquire's --boskos-wait-duration. */
  private async post(path: string, query: Record<string, string>, signal?: AbortSignal, deadline = Infinity) {
    const url = `${this.url}${path}?${new URLSearchParams(query).toString()}`;
    for (let attempt = 1; ; attempt++) {
      let err: Error;
      try {
        const timeout = AbortSignal.timeout(Math.max(1000, Math.min(this.requestTimeoutMs, deadline - Date.now())));
        const res = await fetch(url, { method: 'POST', signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
        const body = await readBounded(res);
        if (res.ok) return body;
        err = new HttpError(res.status, printable(body.trim().split('\n')[0]!.slice(0, 300)));
        if (res.status < 500) throw err;
      } catch (e) {
        if (e instanceof HttpError && e.status < 500) throw e;
        if (signal?.aborted) throw signal.reason;
        err = e instanceof HttpError ? e : new Error(transportMessage(e));
      }
      if (attempt > this.retries || Date.now() + attempt * attempt * 1000 > deadline) throw err;
      await sleep(attempt * attempt * 1000, signal);
    }
  }
}

function transportMessage(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError') return 'no answer in time';
  return err.cause?.code ?? err.cause?.message ?? err.message;
}

async function readBounded(res: Response): Promise<string> {
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let n = 0;
  for await (const c of res.body as unknown as AsyncIterable<Uint8Array>) {
    n += c.length;
    if (n > MAX_BODY) throw new Error(`answer larger than ${MAX_BODY} bytes`);
    chunks.push(c);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseResource(body: string): BoskosResource {
  let r: unknown;
  try {
    r = JSON.parse(body);
  } catch {
    throw new Error(`Boskos answered acquire with something that is not JSON: ${printable(body.slice(0, 100))}`);
  }
  const o = r as Partial<Record<keyof BoskosResource, unknown>>;
  if (!o || typeof o.name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/.test(o.name)) {
    throw new Error(`Boskos answered acquire without a usable resource name: ${printable(body.slice(0, 100))}`);
  }
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  return { name: o.name, type: str(o.type), state: str(o.state), owner: str(o.owner) };
}
