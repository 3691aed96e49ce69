// Teardown of kubelet nodes after the recorded daemons are stopped: kill what containerd left (shims and
// container processes: they are reparented away from containerd, so they are found by cgroup and by the
// run's socket paths), unmount everything under the cluster dir (pod volumes, the nodes' shared bind, the
// namespace files: the namespaces, their links and iptables rules go with them), remove the run's cgroups,
// restore what kubelet changed on the host. Idempotent; safe when nothing is left.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmdirSync } from 'node:fs';
import { sleep } from '../../../../process/proctable.js';
import { mountPointsUnder } from '../../../../util/mounts.js';
import { pidsOfCgroups, restoreHost, runCgroups } from './host.js';
import { layout } from './layout.js';

/**
 * Processes whose command line mentions a path under `dir` anywhere (a shim's `-address=…` or a socket path
 * inside a longer argument): wider than processesUnder, which wants the path to start an argument.
 */
function pidsMentioning(dir: string): number[] {
  const out: number[] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p) || Number(p) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(dir + '/')) out.push(Number(p));
    } catch {
      // exited
    }
  }
  return out;
}

export async function cleanupKubeletNodes(clusterDir: string, log: (m: string) => void): Promise<void> {
  const l = layout(clusterDir, 0);
  const hasRun = existsSync(l.nodesDir) || existsSync(l.netDir) || runCgroups(l.id).length > 0;
  if (!hasRun) return;
  let killed = 0;
  for (let i = 0; i < 100; i++) {
    const pids = [...new Set([...pidsOfCgroups(runCgroups(l.id)), ...pidsMentioning(l.nodesDir)])];
    if (!pids.length) break;
    for (const p of pids) {
      try {
        process.kill(p, 'SIGKILL');
        killed++;
      } catch {
        // gone
      }
    }
    await sleep(50);
  }
  if (killed) log(`kubelet nodes: killed ${killed} leftover process(es) (shims, containers)`);
  const mounts = mountPointsUnder(clusterDir).reverse();
  for (const m of mounts) spawnSync('umount', ['-l', m]);
  if (mounts.length) log(`kubelet nodes: unmounted ${mounts.length} mount(s) (pod volumes, namespaces)`);
  const left = mountPointsUnder(clusterDir);
  if (left.length) log(`kubelet nodes: still mounted: ${left.join(', ')}`);
  let cgroups = 0;
  for (const d of runCgroups(l.id)) {
    for (let i = 0; i < 20; i++) {
      try {
        rmdirSync(d);
        cgroups++;
        break;
      } catch {
        await sleep(50);
      }
    }
  }
  if (cgroups) log(`kubelet nodes: removed ${cgroups} cgroup(s)`);
  restoreHost(l, log);
}
