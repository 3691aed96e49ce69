// --save: after --up (without --down) the kubeconfig and release go to storage; a later run with --extract
// and without --up loads them: same binaries, same cluster.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runChild } from '../helpers/cli.js';
import { assertClusterGone, clusterEnv, stateOf } from '../helpers/local.js';
import { peers } from '../helpers/peers.js';
import { tempDir } from '../helpers/tmp.js';

describe('--save and load', () => {
  it('saves after --up, loads with --extract and no --up', async () => {
    const save = `file://${tempDir('save')}/job-1`;
    const upDir = tempDir('saveup');
    const up = await runChild(
      [
        `--extract=file://${peers().release.dir}`,
        '--deployment=local',
        '--up',
        `--save=${save}`,
        '--dump=d',
        '--verbose-commands=false',
      ],
      { cwd: upDir, env: clusterEnv() },
    ).done;
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stderr, /\[Save Cluster State\] ok/);
    const state = stateOf(upDir)!;
    const saveDir = save.replace('file://', '');
    assert.equal(readFileSync(join(saveDir, 'release.txt'), 'utf8'), peers().release.version);
    assert.match(readFileSync(join(saveDir, 'kube-config'), 'utf8'), /client-key-data/);
    try {
      const useDir = tempDir('saveuse');
      // --extract=ci/latest would go to the network: load replaces it with what was saved.
      const use = await runChild(
        [
          '--extract=ci/latest',
          `--save=${save}`,
          '--deployment=none',
          '--test-cmd=/bin/sh',
          '--test-cmd-args=-c',
          '--test-cmd-args=kubernetes_kubectl=$(pwd)/platforms/linux/amd64/kubectl; $kubernetes_kubectl get nodes -o name',
        ],
        { cwd: useDir, env: clusterEnv() },
      ).done;
      assert.equal(use.code, 0, use.stderr);
      assert.match(use.stderr, /using the release saved in/);
      assert.match(use.stderr, /node\/kwok-node-0/);
      assert.equal(readFileSync(join(useDir, 'kubernetes', 'version'), 'utf8').trim(), peers().release.version);
      assert.ok(existsSync(join(useDir, '_rundir', 'saved-kubeconfig')));
    } finally {
      const down = await runChild(['--deployment=local', '--down'], { cwd: upDir, env: clusterEnv() }).done;
      assert.equal(down.code, 0, down.stderr);
      await assertClusterGone(state);
    }
  });
});
