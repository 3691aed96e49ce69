// The Test step against a real local cluster (issue 24, items 1–2): --check-version-skew with two real
// releases (kubectl and e2e.test v1.35.4 against a v1.36.3 cluster), --test-arg carrying a value with spaces
// as one argument, and live e2e progress read from ginkgo's output — periodic lines through a pipe, a live
// line on a pseudo-terminal (util-linux `script`).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { quote } from 'shell-quote';
import { KUBETEST, runChild } from '../helpers/cli.js';
import { clusterEnv, workDirWithRelease } from '../helpers/local.js';
import { OLD_RELEASE_VERSION, TEST_RELEASE_VERSION } from '../helpers/peers.js';

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
    } finally {
      await runChild(['--deployment=local', '--down'], { cwd: cluster, env }).done;
    }
  });
});
