// In-place upgrade of a running local cluster's control plane to another release (the --upgrade_args hook):
// kube-apiserver, then kube-controller-manager and kube-scheduler, each stopped and started again from the
// new release's binary with the same flags, certificates, ports and etcd (whose data stays). Nodes keep their
// version: kwok nodes are simulated, kubelet nodes one minor behind the control plane are a supported skew.
import type { StepContext } from '../../api/context.js';
import { startDaemon } from '../../process/daemon.js';
import { StepFailure } from '../../process/errors.js';
import { killTree } from '../../process/proctable.js';
import { releaseBinary, releaseVersion } from './binaries.js';
import { logTail, type ClusterPaths } from './cluster.js';
import { probe, waitFor, type TlsFiles } from './health.js';
import { portReleased } from './ports.js';
import { isRunning, writeState, type ClusterState, type ComponentRecord } from './state.js';

/** In order: the apiserver first (the others talk to it), as kubeadm upgrades a control plane. */
export const UPGRADED = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'] as const;
const READY_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 10_000;

/**
 * Stops the old binary so that the new one can bind its port: SIGTERM releases the lease and closes the
 * listener; the rest of the graceful shutdown (draining watches) is cut short, as the clients reconnect to the new
 * binary anyway.
 */
async function stopOld(sc: StepContext, name: string, old: ComponentRecord): Promise<void> {
  const port = old.port;
  if (port === undefined) return void (await killTree(old.pid, STOP_GRACE_MS));
  await killTree(old.pid, STOP_GRACE_MS, portReleased(port));
  await waitFor(portReleased(port), {
    timeoutMs: 2000,
    signal: sc.signal,
    what: `port ${port}`,
    timeoutMessage: () => `cannot upgrade ${name}: port ${port} on 127.0.0.1 is still in use after the old one exited`,
  });
}

function healthUrl(name: string, st: ClusterState, port: number | undefined): string {
  return name === 'kube-apiserver' ? `${st.apiserverUrl}/readyz` : `https://127.0.0.1:${port}/healthz`;
}

export async function upgradeControlPlane(
  sc: StepContext,
  st: ClusterState,
  paths: ClusterPaths,
  toKubeRoot: string,
): Promise<{ from: string; to: string }> {
  const to = releaseVersion(toKubeRoot) ?? 'unknown';
  const from = st.kubeVersion ?? 'unknown';
  const binaries = new Map(UPGRADED.map((n) => [n, releaseBinary(toKubeRoot, n)]));
  const kubectl = releaseBinary(toKubeRoot, 'kubectl');
  const down = st.components.filter((c) => !isRunning(c)).map((c) => c.name);
  if (down.length) throw new StepFailure(`cannot upgrade local cluster ${st.cluster}: ${down.join(', ')} not running`);
  const admin: TlsFiles = {
    ca: `${paths.pki}/ca.crt`,
    cert: `${paths.pki}/admin.crt`,
    key: `${paths.pki}/admin.key`,
  };
  for (const name of UPGRADED) {
    const i = st.components.findIndex((c) => c.name === name);
    const old = st.components[i];
    if (!old) throw new StepFailure(`cannot upgrade local cluster ${st.cluster}: no ${name} in its state file`);
    const t0 = Date.now();
    await stopOld(sc, name, old);
    const argv = [binaries.get(name)!, ...old.argv.slice(1)];
    const d = await startDaemon(argv, { logFile: old.logFile, cwd: paths.dir, env: sc.env });
    st.components[i] = { ...old, pid: d.pid, startTime: d.startTime, argv };
    writeState(st);
    const rec = st.components[i]!;
    try {
      await waitFor(async () => (await probe(healthUrl(name, st, rec.port), admin)).status === 200, {
        timeoutMs: READY_TIMEOUT_MS,
        signal: sc.signal,
        alive: () => isRunning(rec),
        what: `${name} ${to}`,
      });
    } catch (e) {
      if (sc.signal.aborted) throw e;
      const tail = logTail(rec.logFile, 30);
      throw new StepFailure(`upgrade to ${to}: ${(e as Error).message}; log: ${rec.logFile}`, tail);
    }
    sc.log(`${name} ${from} → ${to}: ready in ${((Date.now() - t0) / 1000).toFixed(1)}s (pid ${d.pid})`);
  }
  st.kubeVersion = to;
  st.kubectl = kubectl;
  writeState(st);
  return { from, to };
}
