// Up: etcd ∥ kube-apiserver → kube-controller-manager + kube-scheduler ∥ nodes (a NodeProvider), each a daemon we
// own (recorded in the state file the moment it starts), each waited on with its log quoted on failure.
import { mkdirSync, rmSync } from 'node:fs';
import { Agent } from 'node:https';
import { goArch } from '../../util/platform.js';
import { startDaemon } from '../../process/daemon.js';
import { StepFailure } from '../../process/errors.js';
import type { StepContext } from '../../api/context.js';
import { releaseBinary, releaseVersion, resolveEtcd } from './binaries.js';
import {
  applySeed,
  captureSeed,
  readSeed,
  readyzWithoutSeededHooks,
  seedFile,
  writeSeed,
  type BootstrapSeed,
} from './bootstrap.js';
import { logTail, type ClusterPaths } from './cluster.js';
import {
  apiserverArgv,
  FRONT_PROXY_CLIENT,
  controllerManagerArgv,
  ETCD_CLIENT,
  ETCD_HEALTHCHECK,
  etcdArgv,
  schedulerArgv,
  SERVICE_IP,
  type Ports,
} from './components.js';
import { request, waitFor, type TlsFiles } from './health.js';
import { writeKubeconfig } from './kubeconfig.js';
import { generatePki } from './pki.js';
import { freePorts, portInUse } from './ports.js';
import type { NodeProvider } from './nodes/types.js';
import { isRunning, writeState, type ClusterState, type ComponentRecord } from './state.js';

export interface UpInput {
  name: string;
  paths: ClusterPaths;
  nodes: NodeProvider;
  cacheDir: string;
  /** --local-apiserver-port (0: a free port) */
  apiserverPort: number;
  runtimeConfig: string;
  /** --local-bootstrap-seed: create the apiserver hooks' objects from a capture instead of waiting for the hooks. */
  seedBootstrap: boolean;
}

export async function upCluster(sc: StepContext, inp: UpInput): Promise<ClusterState> {
  // Readiness probes reuse their connections: a TLS handshake per probe is CPU the starting apiserver needs.
  const probes = new Agent({ keepAlive: true, maxSockets: 4 });
  try {
    return await startCluster(sc, inp, probes);
  } finally {
    probes.destroy();
  }
}

async function startCluster(sc: StepContext, inp: UpInput, probes: Agent): Promise<ClusterState> {
  const { paths } = inp;
  const kubeRoot = sc.kubeRoot;
  const t0 = Date.now();
  // Per-phase wall times, logged at the end (#27: where Up spends its time).
  const phases: Array<[string, number]> = [];
  let phaseStart = t0;
  const phase = (name: string) => {
    const now = Date.now();
    phases.push([name, now - phaseStart]);
    phaseStart = now;
  };
  const exec = (argv: readonly string[], opts?: Parameters<StepContext['exec']>[1]) =>
    sc.exec(argv, { ...opts, verbose: false });

  // Binaries first: a missing one fails before anything starts.
  const bin = {
    apiserver: releaseBinary(kubeRoot, 'kube-apiserver'),
    controllerManager: releaseBinary(kubeRoot, 'kube-controller-manager'),
    scheduler: releaseBinary(kubeRoot, 'kube-scheduler'),
    kubectl: releaseBinary(kubeRoot, 'kubectl'),
    etcd: await resolveEtcd(kubeRoot, inp.cacheDir, exec, sc.env),
  };
  await inp.nodes.prepare(sc);
  const version = releaseVersion(kubeRoot) ?? 'unknown';
  phase('binaries');

  // Whatever a crashed run of these nodes left (mounts under the dir first: rmSync must not walk into them).
  await inp.nodes.cleanup?.(paths.dir, sc.log);
  rmSync(paths.dir, { recursive: true, force: true });
  mkdirSync(paths.logs, { recursive: true });
  const state: ClusterState = {
    version: 1,
    cluster: inp.name,
    dir: paths.dir,
    createdAt: new Date().toISOString(),
    kubeVersion: version,
    kubeconfig: paths.adminKubeconfig,
    kubectl: bin.kubectl,
    nodeType: inp.nodes.type,
    components: [],
  };
  writeState(state);

  const fixedApiPort = inp.apiserverPort;
  const [etcdClient, etcdPeer, apiserver, controllerManager, scheduler] = await freePorts(5);
  const ports: Ports = {
    etcdClient: etcdClient!,
    etcdPeer: etcdPeer!,
    apiserver: fixedApiPort || apiserver!,
    controllerManager: controllerManager!,
    scheduler: scheduler!,
  };
  if (fixedApiPort && (await portInUse(fixedApiPort))) {
    throw new StepFailure(
      `kube-apiserver: port ${fixedApiPort} on 127.0.0.1 is already in use (--local-apiserver-port)`,
    );
  }
  const server = `https://127.0.0.1:${ports.apiserver}`;
  state.apiserverUrl = server;

  const etcdPki = generatePki(
    paths.etcdPki,
    [
      { file: ETCD_CLIENT, cn: 'kube-apiserver-etcd-client' },
      { file: ETCD_HEALTHCHECK, cn: 'kubetest-etcd-healthcheck' },
    ],
    { clusterName: `${inp.name}-etcd`, serviceIp: SERVICE_IP },
  );
  const frontProxyPki = generatePki(paths.frontProxyPki, [{ file: FRONT_PROXY_CLIENT, cn: FRONT_PROXY_CLIENT }], {
    clusterName: `${inp.name}-front-proxy`,
    serviceIp: SERVICE_IP,
    clientsOnly: true,
  });
  const pki = await generatePki(
    paths.pki,
    [
      { file: 'admin', cn: 'kubetest-admin', org: 'system:masters' },
      { file: 'kube-controller-manager', cn: 'system:kube-controller-manager' },
      { file: 'kube-scheduler', cn: 'system:kube-scheduler' },
      ...inp.nodes.identities(),
    ],
    { clusterName: inp.name, serviceIp: SERVICE_IP },
  );
  const kc = (component: string, file: string, path: string) =>
    writeKubeconfig({
      path,
      server,
      caFile: pki.caCert,
      certFile: pki.client(file).cert,
      keyFile: pki.client(file).key,
      user: component,
      cluster: `kubetest-${inp.name}`,
    });
  kc('admin', 'admin', paths.adminKubeconfig);
  kc('kube-controller-manager', 'kube-controller-manager', paths.kubeconfig('kube-controller-manager'));
  kc('kube-scheduler', 'kube-scheduler', paths.kubeconfig('kube-scheduler'));

  const start = async (name: string, argv: string[], port?: number): Promise<ComponentRecord> => {
    if (sc.signal.aborted) throw sc.signal.reason;
    const d = await startDaemon(argv, { logFile: paths.log(name), cwd: paths.dir, env: componentEnv(sc.env) });
    const rec: ComponentRecord = {
      name,
      pid: d.pid,
      startTime: d.startTime,
      argv,
      logFile: d.logFile,
      ...(port ? { port } : {}),
    };
    state.components.push(rec);
    writeState(state);
    return rec;
  };
  const ready = async (
    rec: ComponentRecord,
    check: () => Promise<boolean>,
    timeoutMs: number,
    reached = 'ready',
    t = Date.now(),
  ) => {
    try {
      await waitFor(check, {
        timeoutMs,
        signal: sc.signal,
        alive: () => isRunning(rec),
        what: rec.name,
        firstIntervalMs: 10,
      });
    } catch (e) {
      if (sc.signal.aborted) throw e;
      const tail = logTail(rec.logFile, 30);
      throw new StepFailure(`${(e as Error).message}; log: ${rec.logFile}: ${lastLine(tail)}`, tail);
    }
    sc.log(
      `${rec.name} ${reached} in ${((Date.now() - t) / 1000).toFixed(1)}s (pid ` +
        `${rec.pid}${rec.port ? `, 127.0.0.1:${rec.port}` : ''})`,
    );
  };
  const tls: TlsFiles = { ca: pki.caCert, cert: pki.client('admin').cert, key: pki.client('admin').key };
  const ok =
    (url: string, t = tls) =>
    async () =>
      (await request(url, { tls: t, agent: probes })).status === 200;

  const etcdTls = await etcdPki;
  const frontProxyTls = await frontProxyPki;
  phase('ports+pki');
  // etcd and kube-apiserver start together: the apiserver keeps dialling etcd until it answers, so its own
  // start-up (most of Up) overlaps etcd's.
  const etcd = await start('etcd', etcdArgv(bin.etcd, paths.etcdData, ports, etcdTls), ports.etcdClient);
  const api = await start(
    'kube-apiserver',
    [
      ...apiserverArgv(
        bin.apiserver,
        { cluster: pki, etcd: etcdTls, frontProxy: frontProxyTls },
        ports,
        inp.runtimeConfig,
      ),
      ...(inp.nodes.apiserverArgs?.(paths) ?? []),
    ],
    ports.apiserver,
  );
  const etcdProbeTls: TlsFiles = {
    ca: etcdTls.caCert,
    cert: etcdTls.client(ETCD_HEALTHCHECK).cert,
    key: etcdTls.client(ETCD_HEALTHCHECK).key,
  };
  const etcdReady = ready(
    etcd,
    async () => {
      const r = await request(`https://127.0.0.1:${ports.etcdClient}/health`, { tls: etcdProbeTls, agent: probes });
      return r.status === 200 && /"health":\s*"true"/.test(r.body);
    },
    30_000,
  );
  etcdReady.catch(() => undefined); // awaited below, after the apiserver's wait has its own chance to fail
  // Serving comes a second or more before ready: the post-start hooks (RBAC roles, system priority classes, both
  // waiting a fixed second before their first try) run in between. Nodes that need only a serving API (kwok: Node
  // objects and a controller authenticated as system:masters) start in that second, and so does the seed.
  const apiServing = ready(api, ok(`${server}/livez/ping`), 90_000, 'serving');
  apiServing.catch(() => undefined);
  const seedPath = inp.seedBootstrap ? seedFile(inp.cacheDir, version, bin.apiserver, inp.runtimeConfig) : undefined;
  const seed = seedPath ? loadSeed(seedPath, version, sc.log) : undefined;
  // True once the seed's objects are in; false without a seed, or when the apiserver refused part of it.
  const seedIn = (async () => {
    if (!seed) return false;
    await apiServing;
    try {
      await applySeed(server, tls, seed);
      return true;
    } catch (e) {
      // Part of it may be in: this cluster is no place to capture a new one from.
      rmSync(seedPath!, { force: true });
      sc.log(`bootstrap seed ${seedPath}: ${(e as Error).message}; removed, waiting for the apiserver's own hooks`);
      return false;
    }
  })();
  seedIn.catch(() => undefined);
  const apiStart = Date.now();
  const apiReady = (async () => {
    if (await seedIn) {
      return ready(api, ok(readyzWithoutSeededHooks(server)), 90_000, 'ready (bootstrap objects seeded)', apiStart);
    }
    return ready(api, ok(`${server}/readyz`), 90_000, 'ready', apiStart);
  })();
  apiReady.catch(() => undefined);
  await etcdReady;
  phase('etcd');
  await apiServing;
  phase('apiserver serving');
  const startNodes = () =>
    inp.nodes.start({
      sc,
      clusterName: inp.name,
      paths,
      pki,
      server,
      kubeVersion: version,
      kubectl: bin.kubectl,
      kubeconfigFor: (component, identity) => {
        const path = paths.kubeconfig(component);
        kc(component, identity, path);
        return path;
      },
      start,
      ready,
    });
  const nodesStarted = inp.nodes.startsWhenServing ? startNodes() : undefined;
  nodesStarted?.catch(() => undefined);
  await apiReady;
  phase('apiserver');
  // What the hooks made is captured for the next Up before anything else writes (not from a cluster a refused
  // seed reached). controller-manager gives up when the apiserver is not healthy within 10 s of its own start:
  // the controllers start now.
  if (seedPath && !seed) {
    await saveSeed(seedPath, () => captureSeed(server, tls, version), sc.log);
  }
  const [kcm, sched] = await Promise.all([
    start(
      'kube-controller-manager',
      controllerManagerArgv(bin.controllerManager, pki, ports, paths.kubeconfig('kube-controller-manager')),
      ports.controllerManager,
    ),
    start(
      'kube-scheduler',
      schedulerArgv(bin.scheduler, pki, ports, paths.kubeconfig('kube-scheduler')),
      ports.scheduler,
    ),
  ]);
  // The nodes come up while the controllers get ready (they need only the apiserver to register).
  const controllersReady = Promise.all([
    ready(kcm!, ok(`https://127.0.0.1:${ports.controllerManager}/healthz`), 60_000),
    ready(sched!, ok(`https://127.0.0.1:${ports.scheduler}/healthz`), 60_000),
  ]);
  controllersReady.catch(() => undefined);
  // A controller that exits or never answers fails Up with its own log, not later as nodes that never got ready.
  const nodesUp = nodesStarted ?? startNodes();
  nodesUp.catch(() => undefined);
  const summary = await Promise.race([nodesUp, controllersReady.then(() => nodesUp)]).catch(async (e: unknown) => {
    await nodesUp.catch(() => undefined); // what the nodes started is recorded before teardown reads the state
    throw e;
  });
  phase('nodes');
  await controllersReady;
  phase('controllers');
  sc.log(`control plane ${version} up at ${server} in ${((Date.now() - t0) / 1000).toFixed(1)}s; ${summary}`);
  sc.log(`phases: ${phases.map(([n, ms]) => `${n} ${(ms / 1000).toFixed(2)}s`).join(', ')}`);
  return state;
}

function loadSeed(path: string, kubeVersion: string, log: (line: string) => void): BootstrapSeed | undefined {
  try {
    return readSeed(path, kubeVersion);
  } catch (e) {
    log(`bootstrap seed ${path}: ${(e as Error).message}; not used, replaced after this start`);
    rmSync(path, { recursive: true, force: true });
    return undefined;
  }
}

/** Captured before the controllers start: what the hooks made, and nothing anyone else did. */
async function saveSeed(path: string, capture: () => Promise<BootstrapSeed>, log: (line: string) => void) {
  try {
    writeSeed(path, await capture());
  } catch (e) {
    log(`bootstrap seed ${path} not saved: ${(e as Error).message}`);
  }
}

function componentEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  // The components must not pick up the user's cluster.
  delete out['KUBECONFIG'];
  if (process.arch !== 'x64') out['ETCD_UNSUPPORTED_ARCH'] = goArch();
  return out;
}

function lastLine(text: string): string {
  const lines = text.split('\n').filter((l) => l.trim());
  const l = lines[lines.length - 1] ?? '';
  return l.length > 200 ? `${l.slice(0, 200)}…` : l;
}
