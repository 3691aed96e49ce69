// --deployment=local for real: a control plane from the module-built release, kwok nodes, upstream e2e.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { probe } from '../../src/deployers/local/health.js';
import { isRunning } from '../../src/deployers/local/state.js';
import { e2eSpecs } from '../helpers/e2e-junit.js';
import { runChild } from '../helpers/cli.js';
import { assertClusterGone, clusterEnv, stateOf, waitForComponents, workDirWithRelease } from '../helpers/local.js';
import { processesMentioning } from '../helpers/procs.js';
import { readmeMainJobArgs } from '../helpers/readme.js';
import { tempDir } from '../helpers/tmp.js';

// The README's focus: local-cluster.md §4's API-only conformance specs (CRDs, namespaces, resource quota,
// watchers, server version, discovery, garbage collector, configmaps, secrets, leases, events).
const API_FOCUS = readmeMainJobArgs()
  .find((a) => a.startsWith('--test_args='))!
  .slice('--test_args='.length);

describe('local deployer', () => {
  it("the README's main job, as written: build (cached), extract, up, upstream e2e (API conformance specs), dump, down — and nothing left", async () => {
    const dir = tempDir('readme-main-job');
    // The release the job builds is the one build-peers built into the cache: --build=module is a no-op.
    const run = runChild(readmeMainJobArgs(), { cwd: dir, env: clusterEnv() });
    const state = await waitForComponents(dir, 5);
    const r = await run.done;
    assert.equal(r.code, 0, r.stderr.slice(-4000));
    assert.match(r.stderr, /\[Build\] release v\d+\.\d+\.\d+ ready in /);
    const dump = join(dir, '_artifacts');
    const { ran, failed } = e2eSpecs(join(dump, 'junit_01.xml'));
    process.stderr.write(`e2e against the local cluster: ${ran.length} specs ran, ${failed.length} failed\n`);
    assert.ok(ran.length >= 20, `only ${ran.length} specs ran`);
    assert.deepEqual(
      failed.map((c) => c.name),
      [],
    );
    const runner = readFileSync(join(dump, 'junit_runner.xml'), 'utf8');
    for (const step of [
      'Build',
      'Extract',
      'Up',
      'Check APIReachability',
      'list nodes',
      'IsUp',
      'kubectl version',
      'Test',
      'DumpClusterLogs',
      'TearDown',
    ])
      assert.match(runner, new RegExp(`name="${step}" time="[^"]+"></testcase>`), step);
    for (const f of [
      'etcd.log',
      'kube-apiserver.log',
      'kube-controller-manager.log',
      'kube-scheduler.log',
      'kwok.log',
      'nodes.yaml',
      'events.yaml',
      'objects/namespaces.yaml',
      'objects/pods.yaml',
    ]) {
      assert.ok(existsSync(join(dump, 'local', f)), f);
    }
    assert.ok(!existsSync(join(dump, 'local', 'objects', 'secrets.yaml')), 'secrets are not dumped');
    await assertClusterGone(state);
  });

  it('kill -9 of kubetest during Up, then a new --up: a clean start, no duplicate processes', async () => {
    const dir = await workDirWithRelease();
    const first = runChild(['--deployment=local', '--up'], { cwd: dir, env: clusterEnv() });
    const partial = await waitForComponents(dir, 2);
    first.kill('SIGKILL');
    await first.done;
    const orphans = partial.components.filter(isRunning);
    assert.ok(orphans.length >= 1, 'the daemons of the killed run are still there');
    const second = await runChild(['--deployment=local', '--up', '--verbose-commands=false'], {
      cwd: dir,
      env: clusterEnv(),
    }).done;
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /\[TearDown Previous\] local cluster local down/);
    assert.ok(!partial.components.some(isRunning), 'the leftovers were removed');
    const now = stateOf(dir)!;
    assert.equal(now.components.length, 5);
    const running = processesMentioning(join(dir, '_rundir', 'local', 'local'));
    assert.equal(running.length, 5, `exactly one of each component: ${running.join(',')}`);
    const down = await runChild(['--deployment=local', '--down'], { cwd: dir, env: clusterEnv() }).done;
    assert.equal(down.code, 0, down.stderr);
    await assertClusterGone(now);
  });

  it('a truncated state file: --down finds the daemons in the cluster dir, stops them all, says so', async () => {
    const dir = await workDirWithRelease();
    const up = await runChild(['--deployment=local', '--up'], { cwd: dir, env: clusterEnv() }).done;
    assert.equal(up.code, 0, up.stderr);
    const st = stateOf(dir)!;
    const file = join(st.dir, 'state.json');
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 100));
    const down = await runChild(['--deployment=local', '--down'], { cwd: dir, env: clusterEnv() }).done;
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stderr, /state\.json is unreadable .*looking for the cluster's processes instead/);
    assert.equal((down.stderr.match(/not in the state file: stopping it/g) ?? []).length, 5, down.stderr);
    await assertClusterGone(st);
  });

  it('etcd wants a client certificate of its own CA; /metrics of controller-manager and scheduler are not public', async () => {
    const dir = await workDirWithRelease();
    const up = await runChild(['--deployment=local', '--up'], { cwd: dir, env: clusterEnv() }).done;
    assert.equal(up.code, 0, up.stderr);
    const st = stateOf(dir)!;
    const port = (name: string) => st.components.find((c) => c.name === name)!.port!;
    const pki = join(st.dir, 'pki');
    const admin = { ca: join(pki, 'ca.crt'), cert: join(pki, 'admin.crt'), key: join(pki, 'admin.key') };
    const etcdUrl = `https://127.0.0.1:${port('etcd')}/health`;
    await assert.rejects(probe(`http://127.0.0.1:${port('etcd')}/health`), 'no plain HTTP');
    await assert.rejects(probe(etcdUrl, { insecure: true }), 'no anonymous TLS client');
    await assert.rejects(probe(etcdUrl, { ...admin, insecure: true }), 'the cluster CA (admin) is not etcd CA');
    const etcdCa = join(pki, 'etcd');
    const ok = await probe(etcdUrl, {
      ca: join(etcdCa, 'ca.crt'),
      cert: join(etcdCa, 'etcd-healthcheck-client.crt'),
      key: join(etcdCa, 'etcd-healthcheck-client.key'),
    });
    assert.equal(ok.status, 200);
    for (const c of ['kube-controller-manager', 'kube-scheduler']) {
      const url = `https://127.0.0.1:${port(c)}/metrics`;
      const anon = await probe(url, { insecure: true });
      assert.ok([401, 403].includes(anon.status), `${c} /metrics anonymous: ${anon.status}`);
      const authed = await probe(url, { cert: admin.cert, key: admin.key, insecure: true });
      assert.equal(authed.status, 200, `${c} /metrics as admin`);
    }
    const down = await runChild(['--deployment=local', '--down'], { cwd: dir, env: clusterEnv() }).done;
    assert.equal(down.code, 0, down.stderr);
    await assertClusterGone(st);
  });

  it('two --up at once in one work dir: one runs, the other fails naming the holder; nothing orphaned', async () => {
    const dir = await workDirWithRelease();
    const up = () => runChild(['--deployment=local', '--up'], { cwd: dir, env: clusterEnv() }).done;
    const [a, b] = await Promise.all([up(), up()]);
    const codes = [a.code, b.code].sort();
    assert.deepEqual(codes, [0, 1], `${a.stderr}\n---\n${b.stderr}`);
    const loser = a.code === 1 ? a : b;
    assert.match(loser.stderr, /local cluster local is busy: kubetest pid \d+ holds .*local\.lock/);
    const st = stateOf(dir)!;
    const running = processesMentioning(st.dir);
    assert.equal(running.length, 5, `one of each component: ${running.join(',')}`);
    const down = await runChild(['--deployment=local', '--down'], { cwd: dir, env: clusterEnv() }).done;
    assert.equal(down.code, 0, down.stderr);
    await assertClusterGone(st);
  });

  it('two clusters at once on one machine, both Ready, both torn down', async () => {
    const dir = await workDirWithRelease();
    const up = (name: string) =>
      runChild(
        ['--deployment=local', `--cluster=${name}`, '--up', '--test-cmd=/bin/true', '--verbose-commands=false'],
        { cwd: dir, env: clusterEnv() },
      ).done;
    const [a, b] = await Promise.all([up('alpha'), up('beta')]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const sa = stateOf(dir, 'alpha')!;
    const sb = stateOf(dir, 'beta')!;
    assert.notEqual(sa.apiserverUrl, sb.apiserverUrl);
    for (const s of [sa, sb]) {
      const nodes = execFileSync(
        s.kubectl!,
        [
          `--kubeconfig=${s.kubeconfig}`,
          'get',
          'nodes',
          '-o',
          'jsonpath={.items[*].status.conditions[?(@.type=="Ready")].status}',
        ],
        { encoding: 'utf8' },
      );
      assert.equal(nodes, 'True');
    }
    const downs = await Promise.all(
      ['alpha', 'beta'].map(
        (n) => runChild(['--deployment=local', `--cluster=${n}`, '--down'], { cwd: dir, env: clusterEnv() }).done,
      ),
    );
    for (const d of downs) assert.equal(d.code, 0, d.stderr);
    await assertClusterGone(sa);
    await assertClusterGone(sb);
  });

  it('SIGTERM during the tests: teardown still stops the cluster, exit 143', async () => {
    const dir = await workDirWithRelease();
    const run = runChild(
      [
        '--deployment=local',
        '--up',
        '--test',
        '--down',
        '--dump=dump',
        '--verbose-commands=false',
        `--test_args=${API_FOCUS}`,
      ],
      { cwd: dir, env: clusterEnv() },
    );
    const state = await waitForComponents(dir, 5);
    await run.waitForOutput(/\[Test\] start/, 120_000);
    await new Promise((r) => setTimeout(r, 3000));
    run.kill('SIGTERM');
    const r = await run.done;
    assert.equal(r.code, 143, r.stderr.slice(-3000));
    assert.match(r.stderr, /\[TearDown\] ok/);
    const runner = readFileSync(join(dir, 'dump', 'junit_runner.xml'), 'utf8');
    assert.match(runner, /name="Test" time="[^"]+">\s*<failure>/);
    await assertClusterGone(state);
    assert.deepEqual(processesMentioning(dir), []);
  });

  it('SIGINT twice ("stop now"): the second skips the rest, but a local teardown still runs; exit 130', async () => {
    const dir = await workDirWithRelease();
    const run = runChild(
      ['--deployment=local', '--up', '--test', '--down', '--dump=dump', `--test_args=${API_FOCUS}`],
      { cwd: dir, env: clusterEnv() },
    );
    const state = await waitForComponents(dir, 5);
    await run.waitForOutput(/\[Test\] start/, 120_000);
    run.kill('SIGINT');
    await run.waitForOutput(/received SIGINT: interrupting/, 10_000);
    run.kill('SIGINT');
    const r = await run.done;
    assert.equal(r.code, 130, r.stderr.slice(-3000));
    assert.match(r.stderr, /received SIGINT again: killing every child now/);
    assert.match(r.stderr, /\[TearDown\] ok/);
    await assertClusterGone(state);
    assert.deepEqual(processesMentioning(dir), []);
  });
});

describe('local deployer: bad input and failures', () => {
  it('missing binary: a clear error naming it; teardown complete', async () => {
    const dir = await workDirWithRelease();
    rmSync(join(dir, 'kubernetes', 'server', 'bin', 'kube-apiserver'));
    const r = await runChild(['--deployment=local', '--up', '--down'], { cwd: dir, env: clusterEnv() }).done;
    assert.equal(r.code, 1);
    assert.match(r.stderr, /\[Up\] FAILED .*: missing binary kube-apiserver in .*kubernetes/);
    assert.match(r.stderr, /\[TearDown\] ok/);
    assert.ok(!existsSync(join(dir, '_rundir', 'local', 'local')));
  });

  it('port already taken: a clear error naming the component and port; nothing left', async () => {
    const dir = await workDirWithRelease();
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await runChild(['--deployment=local', '--up', '--down', `--local-apiserver-port=${port}`], {
        cwd: dir,
        env: clusterEnv(),
      }).done;
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        new RegExp(`\\[Up\\] FAILED .*: kube-apiserver: port ${port} on 127\\.0\\.0\\.1 is already in use`),
      );
      assert.ok(!existsSync(join(dir, '_rundir', 'local', 'local')));
      assert.deepEqual(processesMentioning(join(dir, '_rundir')), []);
    } finally {
      blocker.close();
    }
  });

  it('corrupted etcd data dir: the test run names etcd and its log; --down still completes', async () => {
    const dir = await workDirWithRelease();
    const up = await runChild(['--deployment=local', '--up', '--verbose-commands=false'], {
      cwd: dir,
      env: clusterEnv(),
    }).done;
    assert.equal(up.code, 0, up.stderr);
    const s = stateOf(dir)!;
    const etcd = s.components.find((c) => c.name === 'etcd')!;
    process.kill(etcd.pid, 'SIGKILL');
    const db = join(s.dir, 'etcd', 'member', 'snap', 'db');
    writeFileSync(db, Buffer.alloc(4096, 0xff));
    const test = await runChild(
      ['--deployment=local', '--test-cmd=/bin/true', '--test', '--dump=dump', '--verbose-commands=false'],
      { cwd: dir, env: clusterEnv() },
    ).done;
    assert.equal(test.code, 1);
    assert.match(
      test.stderr,
      /\[IsUp\] FAILED .*: etcd \(pid \d+\) of local cluster local is not running; log: .*etcd\.log/,
    );
    // The dump keeps the logs and does not wait on an API server that has no etcd.
    assert.ok(existsSync(join(dir, 'dump', 'local', 'etcd.log')));
    assert.match(
      readFileSync(join(dir, 'dump', 'local', 'dump-errors.txt'), 'utf8'),
      /^etcd \(pid \d+\) not running: API objects were not dumped/,
    );
    const down = await runChild(['--deployment=local', '--down'], { cwd: dir, env: clusterEnv() }).done;
    assert.equal(down.code, 0, down.stderr);
    await assertClusterGone(s);
  });

  it('apiserver crash during the run: the test fails, logs are dumped, teardown completes', async () => {
    const dir = await workDirWithRelease();
    const killer = join(dir, 'kill-apiserver.sh');
    // Runs in kubernetes/ (kubetest's cwd for tests): find the apiserver in the state file and kill it.
    writeFileSync(
      killer,
      `#!/bin/sh\nset -e\npid=$(sed -n '/"name": "kube-apiserver"/,/"pid"/s/.*"pid": \\([0-9]*\\).*/\\1/p' ../_rundir/local/local/state.json)\nkill -9 "$pid"\nsleep 1\nexec $KUBECTL get nodes\n`,
      { mode: 0o755 },
    );
    const run = runChild(
      ['--deployment=local', '--up', '--down', `--test-cmd=${killer}`, '--dump=dump', '--verbose-commands=false'],
      { cwd: join(dir), env: clusterEnv() },
    );
    const state = await waitForComponents(dir, 5);
    const r = await run.done;
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /\[.*kill-apiserver\.sh\] FAILED/);
    assert.ok(existsSync(join(dir, 'dump', 'local', 'kube-apiserver.log')));
    assert.ok(existsSync(join(dir, 'dump', 'local', 'dump-errors.txt')), 'kubectl failures of the dump are recorded');
    assert.match(r.stderr, /\[TearDown\] ok/);
    await assertClusterGone(state);
    assert.deepEqual(readdirSync(join(dir, '_rundir', 'local')), []);
  });
});
