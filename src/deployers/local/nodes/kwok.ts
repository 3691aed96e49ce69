// kwok nodes (the default): one kwok controller simulates the kubelets of N Node objects, so pods become
// Running as API objects only. Fast and light; container-running specs need --local-node-type=kubelet.
import type { StepContext } from '../../../api/context.js';
import { resolveKwok } from '../binaries.js';
import { kwokArgv, nodeManifest } from '../components.js';
import { apiMessage, nodeReadiness, probe, request, type TlsFiles } from '../health.js';
import { Agent } from 'node:https';
import { StepFailure } from '../../../process/errors.js';
import { freePorts } from '../ports.js';
import type { NodeProvider, NodeStart } from './types.js';

export class KwokNodes implements NodeProvider {
  readonly type = 'kwok';
  readonly startsWhenServing = true;
  private kwok: { binary: string; stages: string } | undefined;

  constructor(
    private readonly count: number,
    private readonly cacheDir: string,
  ) {}

  async prepare(sc: StepContext): Promise<void> {
    const exec: StepContext['exec'] = (argv, opts) => sc.exec(argv, { ...opts, verbose: false });
    this.kwok = await resolveKwok(this.cacheDir, exec, sc.env);
  }

  identities() {
    return [{ file: 'kwok', cn: 'kwok-controller', org: 'system:masters' }];
  }

  async start(n: NodeStart): Promise<string> {
    if (!this.kwok) throw new Error('kwok nodes: prepare() was not called');
    const [port] = await freePorts(1);
    const kubeconfig = n.kubeconfigFor('kwok', 'kwok');
    // The Node objects are registered while the kwok controller that makes them Ready starts: it finds them
    // by their annotation whenever they appear. Straight to the API: a kubectl here cost a process start.
    const admin = { ca: n.pki.caCert, ...n.pki.client('admin') };
    const names = Array.from({ length: this.count }, (_, i) => `kwok-node-${i}`);
    // A thousand nodes must not be a thousand TLS handshakes at once against an apiserver in its start-up.
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const registered = Promise.all(
      names.map((name) => registerNode(n.server, name, nodeManifest(name, n.kubeVersion), admin, agent)),
    ).finally(() => agent.destroy());
    registered.catch(() => undefined);
    const rec = await n.start('kwok', kwokArgv(this.kwok.binary, kubeconfig, this.kwok.stages, port!), port);
    await n.ready(rec, async () => (await probe(`http://127.0.0.1:${port}/healthz`)).status === 200, 30_000);
    await registered;
    // Up ends with its nodes Ready (kubetest's IsUp), not only registered: kwok sets the condition a moment later.
    const nodes = `${n.server}/api/v1/nodes`;
    await n.ready(
      rec,
      async () => {
        const r = await request(nodes, { tls: admin, timeoutMs: 10_000 });
        return r.status === 200 && nodeReadiness(r.body).ready >= this.count;
      },
      60_000,
      `with ${this.count} node(s) Ready`,
    );
    return `${this.count} kwok node(s) Ready`;
  }
}

/** POST /api/v1/nodes; a node that is already there (a retried Up) is fine. */
async function registerNode(server: string, name: string, node: object, tls: TlsFiles, agent: Agent): Promise<void> {
  const url = `${server}/api/v1/nodes`;
  const r = await request(url, { method: 'POST', json: node, tls, timeoutMs: 10_000, agent });
  if (r.status === 201 || r.status === 409) return;
  throw new StepFailure(`registering node ${name}: HTTP ${r.status}: ${apiMessage(r.body)}`);
}
