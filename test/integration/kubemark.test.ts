// --kubemark on the local deployer (issue 24, item 4): a second local control plane whose nodes are hollow
// nodes of the real kubemark (built from the release's Kubernetes module: hollow kubelet with a fake runtime,
// hollow kube-proxy), upstream e2e.test's scheduling spec on them, kubemark_nodes.yaml, and Kubemark TearDown
// leaving nothing behind (processes, the cluster dir, the fake runtime's sockets in /tmp).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Summary } from '../../src/report/summary.js';
import { runChild } from '../helpers/cli.js';
import { e2eSpecs } from '../helpers/e2e-junit.js';
import { clusterEnv, stateOf, workDirWithRelease } from '../helpers/local.js';
import { TEST_RELEASE_VERSION } from '../helpers/peers.js';
import { processesMentioning } from '../helpers/procs.js';
import { spawnSync } from 'node:child_process';

const hollowRoots = () => readdirSync('/tmp').filter((f) => /^hollow-kubelet\.\d+$/.test(f));
const hostIptables = () =>
  spawnSync('iptables-save', [], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.replace(/\[\d+:\d+\]/g, '[]'))
    .join('\n');

const SPEC =
  '\\[sig-scheduling\\]\\sSchedulerPredicates\\s\\[Serial\\]\\svalidates\\sthat\\sNodeSelector\\sis\\srespected\\sif\\smatching';
const sockets = () => readdirSync('/tmp').filter((f) => /^kubelet_remote_\d+\.sock$/.test(f));

describe('--kubemark', { timeout: 15 * 60_000 }, () => {
  it('hollow nodes of the real kubemark Ready, a scheduling spec on them, kubemark_nodes.yaml, torn down', async () => {
    const work = await workDirWithRelease();
    const dump = join(work, 'd');
    const before = new Set(sockets());
    const iptablesBefore = hostIptables();
    const rootsBefore = hollowRoots();
    const r = await runChild(
      [
        '--deployment=local',
        '--provider=local',
        '--up',
        '--down',
        '--kubemark',
        '--kubemark-nodes=3',
        `--dump=${dump}`,
        `--test_args=--ginkgo.focus=${SPEC}`,
        '--timeout=15m',
      ],
      { cwd: work, env: clusterEnv() },
    ).done;
    assert.equal(r.code, 0, r.stderr.slice(-4000));
    assert.match(
      r.stderr,
      new RegExp(
        `\\[Kubemark Overall\\] .*3 kubemark ${TEST_RELEASE_VERSION} hollow node\\(s\\) with hollow proxies Ready`,
      ),
    );
    const nodes = readFileSync(join(dump, 'kubemark_nodes.yaml'), 'utf8');
    for (const n of ['hollow-node-0', 'hollow-node-1', 'hollow-node-2'])
      assert.match(nodes, new RegExp(`name: ${n}\\n`));
    const junit = readdirSync(dump).filter((f) => /^junit_kubemark.*\.xml$/.test(f));
    assert.equal(junit.length, 1, readdirSync(dump).join(' '));
    const { ran, failed } = e2eSpecs(join(dump, junit[0]!));
    assert.deepEqual(
      ran.map((c) => c.name),
      [
        '[It] [sig-scheduling] SchedulerPredicates [Serial] validates that NodeSelector is respected if matching [Conformance]',
      ],
    );
    assert.equal(failed.length, 0);
    const summary = JSON.parse(readFileSync(join(dump, 'summary.json'), 'utf8')) as Summary;
    const status = Object.fromEntries(summary.steps.map((s) => [s.name, s.status]));
    assert.equal(status['Kubemark Overall'], 'passed');
    assert.equal(status['Kubemark TearDown'], 'passed');
    assert.ok(readdirSync(join(dump, 'local-kubemark')).some((f) => f.startsWith('hollow-node-0')));
    // Nothing left: both clusters down, no process in the work dir, no fake runtime socket of ours in /tmp.
    assert.equal(stateOf(work), undefined);
    assert.equal(stateOf(work, 'local-kubemark'), undefined);
    assert.deepEqual(processesMentioning(work), []);
    // Hollow kubelets run on the host's network: they must not leave chains in its iptables.
    assert.equal(hostIptables(), iptablesBefore);
    // Nor their root dirs, which kubemark makes in /tmp whatever TMPDIR says.
    assert.deepEqual(
      hollowRoots().filter((d) => !rootsBefore.includes(d)),
      [],
    );
    assert.deepEqual(
      sockets().filter((s) => !before.has(s)),
      [],
    );
  });
});
