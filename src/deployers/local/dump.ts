// DumpClusterLogs: every component's log, nodes, all API objects (except Secrets) and events as YAML,
// into <dump>/<cluster>/. Best effort: a dead apiserver still leaves the logs and an errors file.
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { StepContext } from '../../api/context.js';
import { isRunning, type ClusterState } from './state.js';

export async function dumpCluster(
  sc: StepContext,
  state: ClusterState,
  dumpDir: string,
  kubectl: string[],
): Promise<void> {
  const out = join(dumpDir, state.cluster);
  mkdirSync(join(out, 'objects'), { recursive: true });
  const errors: string[] = [];
  for (const c of state.components) {
    if (existsSync(c.logFile)) copyFileSync(c.logFile, join(out, basename(c.logFile)));
  }
  // kubelet nodes: every container's log, as the node's kubelet kept it (<pod-logs>/<ns>_<pod>_<uid>/<c>/N.log).
  const nodesDir = join(state.dir, 'nodes');
  if (existsSync(nodesDir)) {
    for (const n of readdirSync(nodesDir)) {
      const podLogs = join(nodesDir, n, 'pod-logs');
      try {
        if (existsSync(podLogs)) cpSync(podLogs, join(out, 'pod-logs', n), { recursive: true });
      } catch (e) {
        errors.push(`pod logs of ${n}: ${(e as Error).message}`);
      }
    }
  }
  const logsOnly = (why: string, detail = why) => {
    errors.push(`${detail}: API objects were not dumped (the component logs were)`);
    writeFileSync(join(out, 'dump-errors.txt'), errors.join('\n') + '\n');
    sc.log(
      `dumped ${state.components.length} component logs to ${out}; ${why}, so no API objects (see dump-errors.txt)`,
    );
  };
  // Without etcd or the API server there is nothing to read, and requests would only hang until they time out.
  const down = state.components.filter((c) => (c.name === 'etcd' || c.name === 'kube-apiserver') && !isRunning(c));
  if (down.length) {
    logsOnly(
      `${down.map((c) => c.name).join(' and ')} not running`,
      `${down.map((c) => `${c.name} (pid ${c.pid})`).join(' and ')} not running`,
    );
    return;
  }
  // A control plane that breaks meanwhile makes requests hang: bound each call and the whole dump, and stop
  // asking once a call has timed out.
  const until = Date.now() + 180_000;
  let hung = false;
  const get = async (args: string[], timeoutS = 30): Promise<string | undefined> => {
    if (Date.now() > until || hung) {
      errors.push(
        `kubectl ${args.join(' ')}: skipped, ${hung ? 'an earlier request timed out' : 'the dump ran out of time'}`,
      );
      return undefined;
    }
    const t0 = Date.now();
    try {
      return (
        await sc.exec([...kubectl, `--request-timeout=${timeoutS}s`, ...args], {
          captureStdout: true,
          verbose: false,
          timeoutMs: (timeoutS + 10) * 1000,
        })
      ).stdout;
    } catch (e) {
      if (Date.now() - t0 >= timeoutS * 1000) hung = true;
      errors.push(`kubectl ${args.join(' ')}: ${(e as Error).message}`);
      return undefined;
    }
  };
  if ((await get(['get', '--raw=/readyz'], 10)) === undefined) {
    logsOnly('the API server is not ready');
    return;
  }
  const nodes = await get(['get', 'nodes', '-o', 'yaml']);
  if (nodes !== undefined) writeFileSync(join(out, 'nodes.yaml'), nodes);
  const events = await get(['get', 'events', '-A', '-o', 'yaml']);
  if (events !== undefined) writeFileSync(join(out, 'events.yaml'), events);
  const list = await get(['api-resources', '--verbs=list', '-o', 'name']);
  const resources = (list ?? '')
    .split('\n')
    .map((s) => s.trim())
    .filter((r) => r && r !== 'secrets' && r !== 'events' && r !== 'events.events.k8s.io' && r !== 'nodes');
  let next = 0;
  const worker = async () => {
    while (next < resources.length) {
      const r = resources[next++]!;
      const y = await get(['get', r, '-A', '-o', 'yaml']);
      if (y !== undefined) writeFileSync(join(out, 'objects', `${r}.yaml`), y);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  if (errors.length) writeFileSync(join(out, 'dump-errors.txt'), errors.join('\n') + '\n');
  sc.log(
    `dumped ${state.components.length} component logs and ${resources.length} resource types to ` +
      `${out}${errors.length ? ` (${errors.length} errors, see dump-errors.txt)` : ''}`,
  );
}
