// A tiny TCP/unix-socket forwarder, run as a cluster daemon: it joins the host's loopback apiserver and the
// run's network namespaces through unix sockets in the cluster dir (a unix socket is reachable from any
// network namespace that sees the file). Usage: node forwarder-main.js <rule>...; a rule is
//   tcp:<ip>:<port>>unix:<path>        listen on TCP (in this process's netns), forward to a unix socket
//   unix:<path>>tcp:<ip>:<port>        listen on a unix socket, forward to TCP
//   unix:<path>>connect:<cidr>[,<cidr>] an HTTP CONNECT proxy (the apiserver's egress selector) that dials
//                                       only addresses inside the given CIDRs
import { createConnection, createServer, type Socket } from 'node:net';
import { rmSync } from 'node:fs';

type Endpoint = { kind: 'tcp'; host: string; port: number } | { kind: 'unix'; path: string };

function endpoint(s: string): Endpoint {
  if (s.startsWith('unix:')) return { kind: 'unix', path: s.slice(5) };
  const m = /^tcp:(.+):(\d+)$/.exec(s);
  if (!m) throw new Error(`bad endpoint ${s}`);
  return { kind: 'tcp', host: m[1]!, port: Number(m[2]) };
}

function dial(e: Endpoint): Socket {
  return e.kind === 'unix' ? createConnection(e.path) : createConnection(e.port, e.host);
}

function pipe(a: Socket, b: Socket): void {
  a.pipe(b);
  b.pipe(a);
  const end = () => {
    a.destroy();
    b.destroy();
  };
  a.on('error', end).on('close', end);
  b.on('error', end).on('close', end);
}

function ipv4(ip: string): number | undefined {
  const p = ip.split('.').map(Number);
  if (p.length !== 4 || p.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) return undefined;
  return ((p[0]! << 24) | (p[1]! << 16) | (p[2]! << 8) | p[3]!) >>> 0;
}

export function inCidrs(ip: string, cidrs: string[]): boolean {
  const a = ipv4(ip);
  if (a === undefined) return false;
  return cidrs.some((c) => {
    const [net, bits] = c.split('/');
    const n = ipv4(net!);
    const b = Number(bits);
    if (n === undefined) return false;
    const mask = b === 0 ? 0 : (~0 << (32 - b)) >>> 0;
    return (a & mask) >>> 0 === (n & mask) >>> 0;
  });
}

function connectProxy(client: Socket, allowed: string[]): void {
  let head = Buffer.alloc(0);
  const onData = (d: Buffer) => {
    head = Buffer.concat([head, d]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) {
      if (head.length > 8192) client.destroy();
      return;
    }
    client.off('data', onData);
    const m = /^CONNECT ([\d.]+):(\d+) HTTP\/1\.[01]\r\n/.exec(head.subarray(0, end + 2).toString('latin1'));
    if (!m || !inCidrs(m[1]!, allowed)) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const rest = head.subarray(end + 4);
    const up = createConnection(Number(m[2]), m[1]!);
    up.once('connect', () => {
      client.write('HTTP/1.1 200 Connection established\r\n\r\n');
      if (rest.length) up.write(rest);
      pipe(client, up);
    });
    up.once('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
  };
  client.on('data', onData);
  client.on('error', () => client.destroy());
}

export function serve(rule: string): void {
  const i = rule.indexOf('>');
  const listen = endpoint(rule.slice(0, i));
  const target = rule.slice(i + 1);
  const server = createServer((c) => {
    if (target.startsWith('connect:')) return connectProxy(c, target.slice(8).split(','));
    pipe(c, dial(endpoint(target)));
  });
  server.on('error', (e) => {
    process.stderr.write(`forwarder: ${rule}: ${e.message}\n`);
    process.exit(1);
  });
  if (listen.kind === 'unix') {
    rmSync(listen.path, { force: true });
    server.listen(listen.path, () => process.stderr.write(`forwarder: ${rule} listening\n`));
  } else {
    server.listen(listen.port, listen.host, () => process.stderr.write(`forwarder: ${rule} listening\n`));
  }
}
