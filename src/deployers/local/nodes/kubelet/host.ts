// What kubelet nodes need from the host and what they change on it: prerequisites checked before anything
// starts, the per-node cgroup roots, the kernel settings kubelet sets (recorded, and restored at teardown).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StepFailure } from '../../../../process/errors.js';
import type { Layout } from './layout.js';

const CGROUP_ROOT = '/sys/fs/cgroup';
const VAR_LIB_KUBELET = '/var/lib/kubelet';
/** kubelet sets these when protectKernelDefaults is false (it refuses to start otherwise). */
const KUBELET_SYSCTLS = ['vm/overcommit_memory', 'vm/panic_on_oom', 'kernel/panic', 'kernel/panic_on_oops'];

const COMMANDS: Record<string, string> = {
  ip: 'iproute2',
  nsenter: 'util-linux',
  unshare: 'util-linux',
  mount: 'mount',
  umount: 'mount',
  runc: 'runc',
  iptables: 'iptables',
  'iptables-save': 'iptables',
  'iptables-restore': 'iptables',
  busybox: 'busybox-static',
  gcc: 'gcc',
};

export function which(cmd: string): string | undefined {
  for (const d of (process.env['PATH'] ?? '').split(':').concat(['/usr/sbin', '/sbin', '/usr/bin', '/bin'])) {
    if (d && existsSync(join(d, cmd))) return join(d, cmd);
  }
  return undefined;
}

export interface HostProbe {
  uid: number | undefined;
  which(cmd: string): string | undefined;
  exists(path: string): boolean;
}

const realHost: HostProbe = { uid: process.getuid?.(), which, exists: existsSync };

/** Everything missing for kubelet nodes, as one line naming it and how to get it (undefined: nothing). */
export function missingPrerequisites(h: HostProbe = realHost): string | undefined {
  const problems: string[] = [];
  if (h.uid !== 0) problems.push('root (network namespaces, mounts and cgroups need it)');
  const missing = Object.keys(COMMANDS).filter((c) => !h.which(c));
  if (missing.length) {
    const pkgs = [...new Set(missing.map((c) => COMMANDS[c]!))].join(' ');
    problems.push(`${missing.join(', ')} (Debian: apt-get install ${pkgs}; or run hack/install-debs.sh)`);
  }
  if (!h.exists(join(CGROUP_ROOT, 'cgroup.controllers')) && !h.exists(join(CGROUP_ROOT, 'memory')))
    problems.push(`cgroups mounted at ${CGROUP_ROOT}`);
  if (!h.exists('/proc/self/ns/net')) problems.push('network namespaces (kernel CONFIG_NET_NS)');
  return problems.length ? `--local-node-type=kubelet: missing prerequisites: ${problems.join('; ')}` : undefined;
}

/** Fails with one line before anything starts. */
export function checkPrerequisites(): void {
  const m = missingPrerequisites();
  if (m) throw new StepFailure(m);
}

/** The cgroup hierarchies to create a node's cgroup root in: every v1 controller mount, or the v2 root. */
function hierarchies(): string[] {
  if (existsSync(join(CGROUP_ROOT, 'cgroup.controllers'))) return [CGROUP_ROOT];
  return readdirSync(CGROUP_ROOT)
    .map((d) => join(CGROUP_ROOT, d))
    .filter((d) => existsSync(join(d, 'cgroup.procs')));
}

export function createCgroupRoot(name: string): void {
  for (const h of hierarchies()) {
    const d = join(h, name);
    mkdirSync(d, { recursive: true });
    // A new cpuset cgroup starts with no CPUs and no memory nodes: inherit the parent's.
    for (const f of ['cpuset.cpus', 'cpuset.mems']) {
      if (existsSync(join(d, f)) && !readFileSync(join(d, f), 'utf8').trim())
        writeFileSync(join(d, f), readFileSync(join(h, f), 'utf8'));
    }
  }
}

/** Cgroup directories of this run (deepest first): <hierarchy>/<layout id>-n<i>/... */
export function runCgroups(id: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
    }
    out.push(d);
  };
  for (const h of existsSync(CGROUP_ROOT) ? hierarchies() : []) {
    for (const e of readdirSync(h)) if (e.startsWith(`${id}-`)) walk(join(h, e));
  }
  return out;
}

export function pidsOfCgroups(dirs: string[]): number[] {
  const pids = new Set<number>();
  for (const d of dirs) {
    try {
      for (const l of readFileSync(join(d, 'cgroup.procs'), 'utf8').split('\n')) if (l.trim()) pids.add(Number(l));
    } catch {
      // gone already
    }
  }
  return [...pids];
}

interface HostRecord {
  sysctls: Record<string, string>;
  varLogContainers: boolean;
  /** kubelet's device manager serves /var/lib/kubelet/device-plugins/kubelet.sock whatever --root-dir says. */
  varLibKubelet?: boolean;
}

/**
 * The host as it was before the first kubelet of any run started. Host-wide (kubelet's changes are), kept by
 * the first of concurrent runs and restored (then removed) by the last one to go.
 */
export const HOST_RECORD = '/run/kubetest-kubelet-host.json';

/** Other runs' kubelet nodes on this host (their cgroup roots: kt-<hash>-n<i>). */
function otherRuns(id: string): string[] {
  const h = hierarchies()[0];
  if (!h) return [];
  return readdirSync(h).filter((e) => /^kt-[0-9a-f]{8}-n\d+$/.test(e) && !e.startsWith(`${id}-`));
}

/** Before the first kubelet starts: what it may change. */
export function recordHost(l: Layout): void {
  // A later run of concurrent ones keeps its own copy of the first one's record: when two runs go down at the
  // same moment, the first to restore removes the shared record while the other's container-log links still
  // hold /var/log/containers, and the other must still be able to restore after it.
  if (existsSync(HOST_RECORD)) {
    try {
      writeFileSync(l.hostRecord, readFileSync(HOST_RECORD));
      return;
    } catch {
      // the record went away meanwhile: this run is the first again
    }
  }
  const rec: HostRecord = {
    sysctls: {},
    varLogContainers: existsSync('/var/log/containers'),
    varLibKubelet: existsSync(VAR_LIB_KUBELET),
  };
  for (const s of KUBELET_SYSCTLS) {
    try {
      rec.sysctls[s] = readFileSync(`/proc/sys/${s}`, 'utf8').trim();
    } catch {
      // not on this kernel
    }
  }
  writeFileSync(HOST_RECORD, JSON.stringify(rec, null, 2) + '\n');
  writeFileSync(l.hostRecord, JSON.stringify(rec, null, 2) + '\n');
}

export function restoreHost(l: Layout, log: (m: string) => void): void {
  // kubelet links every container log into /var/log/containers (a fixed path): remove the run's links.
  const vlc = '/var/log/containers';
  if (existsSync(vlc)) {
    for (const f of readdirSync(vlc)) {
      const p = join(vlc, f);
      const target = spawnSync('readlink', [p], { encoding: 'utf8' }).stdout.trim();
      if (target.startsWith(l.dir + '/')) spawnSync('rm', ['-f', p]);
    }
  }
  const others = otherRuns(l.id);
  if (others.length) {
    log(`kubelet nodes: host settings are restored by the last run (still running: ${others.join(', ')})`);
    return;
  }
  const file = existsSync(HOST_RECORD) ? HOST_RECORD : existsSync(l.hostRecord) ? l.hostRecord : undefined;
  if (!file) return;
  const rec = JSON.parse(readFileSync(file, 'utf8')) as HostRecord;
  for (const [s, v] of Object.entries(rec.sysctls)) {
    try {
      if (readFileSync(`/proc/sys/${s}`, 'utf8').trim() !== v) writeFileSync(`/proc/sys/${s}`, v);
    } catch (e) {
      log(`cannot restore ${s}=${v}: ${(e as Error).message}`);
    }
  }
  if (!rec.varLogContainers && existsSync(vlc) && readdirSync(vlc).length === 0) spawnSync('rmdir', [vlc]);
  // Absent before the first run: everything in it is what our kubelets made (an older record says nothing).
  if (rec.varLibKubelet === false) rmSync(VAR_LIB_KUBELET, { recursive: true, force: true });
  spawnSync('rm', ['-f', HOST_RECORD]);
}
