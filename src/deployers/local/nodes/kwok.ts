// kwok nodes (the default): one kwok controller simulates the kubelets of N Node objects, so pods become
// Running as API objects only. Fast and light; container-running specs need --local-node-type=kubelet.
import { stringify } from 'yaml';
import type { StepContext } from '../../../api/context.js';
import { resolveKwok } from '../binaries.js';
import { kwokArgv, nodeManifest } from '../components.js';
import { probe } from '../health.js';
import { freePorts } from '../ports.js';
import type { NodeProvider, NodeStart } from './types.js';

export class KwokNodes implements NodeProvider {
  readonly type = 'kwok';
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
    const rec = await n.start('kwok', kwokArgv(this.kwok.binary, kubeconfig, this.kwok.stages, port!), port);
    await n.ready(rec, async () => (await probe(`http://127.0.0.1:${port}/healthz`)).status === 200, 30_000);
    const nodes = Array.from({ length: this.count }, (_, i) => nodeManifest(`kwok-node-${i}`, n.kubeVersion));
    await n.sc.exec([n.kubectl, `--kubeconfig=${n.paths.adminKubeconfig}`, 'apply', '-f', '-'], {
      input: nodes.map((x) => stringify(x)).join('---\n'),
      verbose: false,
    });
    return `${this.count} kwok node(s) registered`;
  }
}
