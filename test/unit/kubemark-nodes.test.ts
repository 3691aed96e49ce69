// kubemark hollow nodes (issue 24, item 4): their argv, the Ready count, the option checks; the integration
// test runs them for real.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCommandLine } from '../../src/cli/config.js';
import { createDeployer } from '../../src/cli/deployer.js';
import { nodeReadiness } from '../../src/deployers/local/health.js';
import { hollowKubeletArgv, hollowProxyArgv } from '../../src/deployers/local/nodes/kubemark.js';

describe('kubemark nodes', () => {
  it('each hollow kubelet: its own port, files under its dir (TMPDIR), no host tools (iptables), fake images', () => {
    assert.deepEqual(hollowKubeletArgv('/c/kubemark', 'hollow-node-3', '/d/k.kubeconfig', 41234, '/d/hollow/n3'), [
      'env',
      'TMPDIR=/d/hollow/n3',
      'PATH=/d/hollow/n3/no-host-tools',
      '/c/kubemark',
      '--morph=kubelet',
      '--name=hollow-node-3',
      '--kubeconfig=/d/k.kubeconfig',
      '--kubelet-port=41234',
      '--kubelet-read-only-port=0',
      '--use-host-image-service=false',
      '--v=1',
    ]);
    assert.deepEqual(hollowProxyArgv('/c/kubemark', 'hollow-node-3', '/d/k.kubeconfig', '/d/hollow/n3').slice(4, 6), [
      '--morph=proxy',
      '--name=hollow-node-3',
    ]);
  });

  it('counts Ready nodes only', () => {
    const node = (ready: string) => ({ status: { conditions: [{ type: 'Ready', status: ready }] } });
    assert.deepEqual(nodeReadiness(JSON.stringify({ items: [node('True'), node('False'), {}, node('True')] })), {
      ready: 2,
      total: 4,
    });
  });

  it('--kubemark-nodes is checked when --kubemark is on; --local-node-type=kubemark is a node type', async () => {
    const make = (argv: string[]) => createDeployer(parseCommandLine(argv, { env: {}, cwd: '/w' }), {});
    await assert.rejects(make(['--deployment=local', '--kubemark', '--kubemark-nodes=0']), /--kubemark-nodes: want/);
    await assert.rejects(make(['--deployment=local', '--kubemark', '--kubemark-nodes=x']), /--kubemark-nodes: want/);
    await assert.rejects(make(['--deployment=local', '--kubemark', '--kubemark-nodes=501']), /from 1 to 500/);
    await make(['--deployment=local', '--kubemark-nodes=x']);
    await make(['--deployment=local', '--local-node-type=kubemark', '--local-nodes=50']);
    await assert.rejects(
      make(['--deployment=local', '--local-node-type=kubemark', '--local-nodes=501']),
      /at most 500 kubemark nodes/,
    );
  });
});
