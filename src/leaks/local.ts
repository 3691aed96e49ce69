// The local lister of --check-leaked-resources: what a run on this machine can leave behind, scoped to the
// run (its work dir and run dir), so that other work on the machine never counts as a leak: processes that
// live there (cwd or an argument), the ports they listen on (in whatever network namespace they are), the
// local deployer's cluster dirs, and mounts there (kubelet nodes' network namespaces and volumes are mounts).
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { processesUnder, type ProcInfo } from '../process/proctable.js';
import { mountPointsUnder } from '../util/mounts.js';
import type { Listing } from './snapshot.js';

export interface LocalScope {
  workDir: string;
  runDir: string;
}

export function listLocal(scope: LocalScope): Listing {
  const procs = processesUnder(scope.workDir, scope.runDir).sort((a, b) => a.pid - b.pid);
  return new Map([
    ['[ local processes ]', procs.map((p) => `${p.pid} ${p.comm}: ${cmdline(p.pid)}`)],
    ['[ local listening ports ]', listeningPorts(procs)],
    ['[ local cluster dirs ]', clusterDirs(scope.runDir)],
    ['[ local mounts ]', [...new Set(mountPointsUnder(scope.workDir, scope.runDir))].sort()],
  ]);
}

function cmdline(pid: number): string {
  try {
    const s = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    return s.length > 300 ? `${s.slice(0, 300)}…` : s;
  } catch {
    return '';
  }
}

function socketInodes(pid: number): Set<string> {
  const out = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) out.add(m[1]!);
      } catch {
        // closed meanwhile
      }
    }
  } catch {
    // gone, or not ours to read
  }
  return out;
}

/** /proc/net/tcp{,6} rows in LISTEN state (0A) of the process's own network namespace: inode → address. */
function listeners(pid: number): Map<string, string> {
  const out = new Map<string, string>();
  for (const [file, v6] of [
    ['tcp', false],
    ['tcp6', true],
  ] as const) {
    let text = '';
    try {
      text = readFileSync(`/proc/${pid}/net/${file}`, 'utf8');
    } catch {
      continue;
    }
    for (const row of text.split('\n').slice(1)) {
      const f = row.trim().split(/\s+/);
      if (f.length < 10 || f[3] !== '0A') continue;
      out.set(f[9]!, `${v6 ? 'tcp6' : 'tcp'} ${decodeAddress(f[1]!, v6)}`);
    }
  }
  return out;
}

function decodeAddress(hex: string, v6: boolean): string {
  const [ip, port] = hex.split(':') as [string, string];
  const p = parseInt(port, 16);
  if (!v6) {
    const b = Buffer.from(ip, 'hex');
    return `${b[3]}.${b[2]}.${b[1]}.${b[0]}:${p}`;
  }
  // Four little-endian 32-bit words.
  const words = ip.match(/.{8}/g) ?? [];
  const bytes = Buffer.concat(words.map((w) => Buffer.from(w, 'hex').reverse()));
  const groups = (bytes.toString('hex').match(/.{4}/g) ?? []).map((g) => g.replace(/^0+(?=.)/, ''));
  return `[${groups.join(':')}]:${p}`;
}

function listeningPorts(procs: ProcInfo[]): string[] {
  const out: string[] = [];
  for (const p of procs) {
    const inodes = socketInodes(p.pid);
    if (!inodes.size) continue;
    for (const [inode, addr] of listeners(p.pid)) {
      if (inodes.has(inode)) out.push(`${addr} (pid ${p.pid} ${p.comm})`);
    }
  }
  return out.sort();
}

function clusterDirs(runDir: string): string[] {
  const base = join(runDir, 'local');
  if (!existsSync(base)) return [];
  return readdirSync(base)
    .map((e) => join(base, e))
    .sort();
}
