// --check-leaked-resources with the local lister on a real local cluster: a clean run lists the cluster while it
// is up and nothing after teardown, and passes; a run whose test command leaves a daemon (in its own session,
// so no process-group cleanup sees it) and a stray cluster dir behind fails, naming both.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isAlive } from '../../src/process/proctable.js';
import { runChild } from '../helpers/cli.js';
import { clusterEnv, workDirWithRelease } from '../helpers/local.js';

const LOCAL = [
  '--deployment=local',
  '--up',
  '--down',
  '--check-leaked-resources',
  '--dump=d',
  '--verbose-commands=false',
];

describe('--check-leaked-resources (local lister, real local cluster)', () => {
  it('a clean run: the cluster shows up in the cluster-up listing, After equals Before, the run passes', async () => {
    const dir = await workDirWithRelease();
    const r = await runChild(LOCAL, { cwd: dir, env: clusterEnv() }).done;
    assert.equal(r.code, 0, r.stderr);
    const file = (s: string) => readFileSync(join(dir, 'd', `local-resources-${s}.txt`), 'utf8');
    assert.match(file('cluster-up'), /kube-apiserver/);
    assert.match(
      file('cluster-up'),
      /\[ local listening ports \]\n(tcp .*\n)*tcp 127\.0\.0\.1:\d+ \(pid \d+ kube-apiserver\)\n/,
    );
    assert.match(file('cluster-down'), /etcd/);
    assert.doesNotMatch(file('after'), /kube-apiserver|etcd/);
    assert.equal(file('diff'), '');
    assert.match(r.stderr, /\[diffResources\] no leaked resources/);
  });

  it('a leaked daemon and a leaked cluster dir fail the run and are listed', async () => {
    const dir = await workDirWithRelease();
    const stray = join(dir, '_rundir', 'local', 'stray');
    const leak = `setsid sleep 600 </dev/null >/dev/null 2>&1 & mkdir -p ${stray}`;
    const r = await runChild([...LOCAL, '--test-cmd=bash', '--test-cmd-args=-c', `--test-cmd-args=${leak}`], {
      cwd: dir,
      env: clusterEnv(),
    }).done;
    const diff = readFileSync(join(dir, 'd', 'local-resources-diff.txt'), 'utf8');
    const pid = Number(/^(\d+) sleep: sleep 600$/m.exec(diff)?.[1]);
    try {
      assert.equal(r.code, 1, r.stderr);
      assert.match(diff, /^Error: 2 leaked resources\n/);
      assert.ok(diff.includes(`[ local cluster dirs ]\n${stray}\n`), diff);
      assert.ok(isAlive(pid), diff);
      assert.match(r.stderr, /\[diffResources\] FAILED \([^)]*\): 2 leaked resources: \[ local processes \] \d+ sleep/);
      const junit = readFileSync(join(dir, 'd', 'junit_runner.xml'), 'utf8');
      assert.match(junit, /<testcase classname="e2e.go" name="diffResources"[^>]*>\s*<failure>2 leaked resources/);
      assert.ok(existsSync(join(dir, 'd', 'local-resources-before.txt')));
    } finally {
      if (pid > 0 && isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
  });
});
