// The Test step against a real local cluster (issue 24, items 1–2): --check-version-skew with two real
// releases (kubectl and e2e.test v1.35.4 against a v1.36.3 cluster), --test-arg carrying a value with spaces
// as one argument, and live e2e progress read from ginkgo's output — periodic lines through a pipe, a live
// line on a pseudo-terminal (util-linux `script`).
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { quote } from 'shell-quote';
import { KUBETEST, runChild } from '../helpers/cli.js';
import { e2eSpecs } from '../helpers/e2e-junit.js';
import { clusterEnv, stateOf, workDirWithRelease } from '../helpers/local.js';
import { OLD_RELEASE_VERSION, peers, TEST_RELEASE_VERSION } from '../helpers/peers.js';
import { tempDir } from '../helpers/tmp.js';

const SPEC = 'should find the server version';

/** Runs kubetest on a pseudo-terminal; returns what the terminal showed. */
function onTerminal(
  argv: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qefc', quote([process.execPath, KUBETEST, ...argv]), '/dev/null'], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, out }));
  });
}

describe('the Test step', { timeout: 10 * 60_000 }, () => {
  it('--check-version-skew across two releases; --test-arg; progress through a pipe and on a terminal', async () => {
    const env = { ...clusterEnv(), KUBETEST_PROGRESS_INTERVAL_MS: '500' };
    const cluster = await workDirWithRelease('release');
    const old = await workDirWithRelease('oldRelease');
    const kubeconfig = join(cluster, '_rundir', 'local', 'local', 'admin.kubeconfig');
    try {
      const up = await runChild(['--deployment=local', '--up'], { cwd: cluster, env }).done;
      assert.equal(up.code, 0, up.stderr.slice(-3000));
      const base = ['--deployment=none', `--kubeconfig=${kubeconfig}`, '--provider=local', '--test'];

      // The old release's kubectl and e2e.test against the new cluster: the Test step fails at once.
      const skewed = await runChild([...base, `--test-arg=--ginkgo.focus=${SPEC}`], { cwd: old, env }).done;
      assert.equal(skewed.code, 1, skewed.stderr.slice(-3000));
      const line = new RegExp(
        `\\[Test\\] FAILED \\((\\d+ms|[\\d.]+s)\\): --check-version-skew: kubectl ${OLD_RELEASE_VERSION} and the ` +
          `server ${TEST_RELEASE_VERSION} differ \\(.*/kubectl\\): every kubectl call of the tests would fail`,
      );
      const m = line.exec(skewed.stderr);
      assert.ok(m, skewed.stderr.slice(-3000));
      assert.ok(m[1]!.endsWith('ms') || parseFloat(m[1]!) < 10, `failed after ${m[1]}, not at once`);
      assert.doesNotMatch(skewed.stderr, /Will run \d+ of/, 'no spec ran');

      // --check-version-skew=false lets the tests run; --test-arg keeps "a b c" one argument (a focus with
      // spaces would select nothing if it were split); progress lines every 500 ms through the pipe.
      const ran = await runChild([...base, '--check-version-skew=false', `--test-arg=--ginkgo.focus=${SPEC}`], {
        cwd: old,
        env,
      }).done;
      assert.equal(ran.code, 0, ran.stderr.slice(-3000));
      assert.match(ran.stderr, /Will run 1 of \d+ specs/);
      assert.match(ran.stderr, /\[Test\] (e2e starting \([\d.]+m?s\)|[01]\/1 specs, 0 failed)\n/);
      assert.match(ran.stderr, /\[Test\] e2e: ran 1 of \d+ specs, 0 failed, in [\dm.]+s\n/);
      assert.ok(!ran.stderr.includes('\x1b[2K'), 'no terminal control sequences in a pipe');

      // On a terminal (and without streamed child output): a live line, redrawn in place.
      const tty = await onTerminal(
        [...base, '--verbose-commands=false', '--check-version-skew=false', `--test-arg=--ginkgo.focus=${SPEC}`],
        old,
        env,
      );
      assert.equal(tty.code, 0, tty.out.slice(-3000));
      // eslint-disable-next-line no-control-regex
      assert.match(tty.out, /\r\x1b\[2K\[Test\] (e2e starting|[01]\/1 specs)/);
      assert.match(tty.out, /\[Test\] e2e: ran 1 of \d+ specs, 0 failed, in /);

      // --deployment=conformance: the same existing cluster through --kubeconfig (kubetest's never got that far,
      // §14.5): no Up, no kubectl version step, the tests of the release in the work dir.
      const conf = await runChild(
        ['--deployment=conformance', `--kubeconfig=${kubeconfig}`, '--test', `--test-arg=--ginkgo.focus=${SPEC}`],
        { cwd: cluster, env },
      ).done;
      assert.equal(conf.code, 0, conf.stderr.slice(-3000));
      assert.match(conf.stderr, /\[Test\] e2e: ran 1 of \d+ specs, 0 failed/);
      assert.match(conf.stderr, /\n {2}test setup\s+ok\s+\S+\n {2}IsUp\s+ok\s+\S+\n {2}Test\s+ok\s+\S+\n/);
    } finally {
      await runChild(['--deployment=local', '--down'], { cwd: cluster, env }).done;
    }
  });

  it('--skew: the tests of the first release (kubernetes_skew/) against a cluster of the second, one run', async () => {
    const work = tempDir('skew');
    const dump = join(work, 'd');
    const r = await runChild(
      [
        `--extract=file://${peers().release.dir}`,
        `--extract=file://${peers().oldRelease.dir}`,
        '--deployment=local',
        '--provider=local',
        '--up',
        '--skew',
        '--test',
        '--down',
        '--check-version-skew=false',
        `--dump=${dump}`,
        `--test-arg=--ginkgo.focus=${SPEC}`,
        '--timeout=10m',
      ],
      { cwd: work, env: clusterEnv() },
    ).done;
    assert.equal(r.code, 0, r.stderr.slice(-4000));
    // The tests were kubernetes_skew/'s (the first release), the server the second release.
    assert.equal(readFileSync(join(work, 'kubernetes_skew', 'version'), 'utf8').trim(), TEST_RELEASE_VERSION);
    assert.match(r.stderr, /Running Suite: Kubernetes e2e suite - \S*\/kubernetes_skew\/platforms\//);
    assert.match(r.stderr, new RegExp(`Server Version: ${OLD_RELEASE_VERSION}\n`));
    assert.doesNotMatch(r.stderr, /log-dump\.sh/, 'kubetest dumps the logs, not e2e.test');
    const junits = readdirSync(dump).filter((f) => /^junit_.*skew.*\.xml$/.test(f));
    assert.equal(junits.length, 1, readdirSync(dump).join(' '));
    const { ran, failed } = e2eSpecs(join(dump, junits[0]!));
    assert.deepEqual([ran.length, failed.length], [1, 0]);
    const summary = JSON.parse(readFileSync(join(dump, 'summary.json'), 'utf8'));
    assert.equal(summary.versions.kubernetes, OLD_RELEASE_VERSION, 'the cluster (kubernetes/) is the second');
    assert.ok(
      summary.steps.some((x: { name: string; status: string }) => x.name === 'SkewTest' && x.status === 'passed'),
    );
    assert.equal(stateOf(work), undefined, 'torn down');
  });

  it('--upgrade_args: the live cluster upgraded in place (objects kept, /version changed), then the tests', async () => {
    const work = tempDir('upgrade');
    const env = clusterEnv();
    const extract = [`--extract=file://${peers().release.dir}`, `--extract=file://${peers().oldRelease.dir}`];
    const kubectl = (...args: string[]) =>
      execFileSync(join(work, 'kubernetes', 'platforms', 'linux', 'amd64', 'kubectl'), [
        `--kubeconfig=${join(work, '_rundir', 'local', 'local', 'admin.kubeconfig')}`,
        ...args,
      ]).toString();
    try {
      const up = await runChild([...extract, '--deployment=local', '--provider=local', '--up'], { cwd: work, env })
        .done;
      assert.equal(up.code, 0, up.stderr.slice(-3000));
      assert.equal(JSON.parse(kubectl('get', '--raw=/version')).gitVersion, OLD_RELEASE_VERSION);
      kubectl('create', 'configmap', 'made-before-the-upgrade', '--from-literal=k=v');

      const up2 = await runChild(
        [
          '--deployment=local',
          '--provider=local',
          '--upgrade_args=--ginkgo.focus=should\\sfind\\sthe\\sserver\\sversion',
          '--check-version-skew=true',
        ],
        { cwd: work, env },
      ).done;
      assert.equal(up2.code, 0, up2.stderr.slice(-4000));
      for (const c of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'])
        assert.match(
          up2.stderr,
          new RegExp(`\\[UpgradeTest\\] ${c} ${OLD_RELEASE_VERSION} → ${TEST_RELEASE_VERSION}: ready`),
        );
      assert.match(up2.stderr, /Running Suite: Kubernetes e2e suite - \S*\/kubernetes_skew\/platforms\//);
      assert.match(up2.stderr, /\[Test\] e2e: ran 1 of \d+ specs, 0 failed/);
      assert.match(up2.stderr, /\n {2}UpgradeTest\s+ok\s/);

      assert.equal(JSON.parse(kubectl('get', '--raw=/version')).gitVersion, TEST_RELEASE_VERSION);
      assert.equal(kubectl('get', 'configmap', 'made-before-the-upgrade', '-o', 'jsonpath={.data.k}'), 'v');
      assert.equal(stateOf(work)!.kubeVersion, TEST_RELEASE_VERSION);
    } finally {
      const down = await runChild(['--deployment=local', '--down'], { cwd: work, env }).done;
      assert.equal(down.code, 0, down.stderr.slice(-2000));
      assert.equal(stateOf(work), undefined);
    }
  });
});
