// The deadline and signals with real child processes: kubetest itself runs as a child, its test command is
// a stubborn node process that ignores SIGINT/SIGTERM and leaves a grandchild behind.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import type { Summary } from '../../src/report/summary.js';
import { BASE_ENV, REPO, runChild } from '../helpers/cli.js';
import { assertGone, events, waitForEvent } from '../helpers/procs.js';
import { summaryValidator } from '../helpers/summary-schema.js';
import { tempDir } from '../helpers/tmp.js';

const STUBBORN = join(REPO, 'test', 'fixtures', 'stubborn.mjs');

/** summary.json of a report dir, checked against docs/summary.schema.json. */
function validSummary(dir: string): Summary {
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Summary;
  const validate = summaryValidator();
  assert.ok(validate(summary), JSON.stringify(validate.errors));
  return summary;
}

function junit(dir: string): {
  cases: Array<{ name: string; failure?: string; skipped?: string; time: string }>;
  failures: number;
  tests: number;
} {
  const doc = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (n) => n === 'testcase',
  }).parse(readFileSync(join(dir, 'junit_runner.xml'), 'utf8'));
  return {
    cases: doc.testsuite.testcase,
    failures: Number(doc.testsuite.failures),
    tests: Number(doc.testsuite.tests),
  };
}

function setup(mode = 'ignore') {
  const dir = tempDir('sig');
  const log = join(dir, 'events.jsonl');
  const args = [
    '--deployment=none',
    `--test-cmd=${process.execPath}`,
    `--test-cmd-args=${STUBBORN}`,
    `--test-cmd-args=${mode}`,
    '--test-cmd-name=stubborn',
    `--dump=${join(dir, 'dump')}`,
    '--down',
  ];
  return { dir, log, args, env: { ...BASE_ENV, STUBBORN_LOG: log } };
}

describe('deadline and signals', () => {
  it('--timeout: SIGINT at the deadline, SIGKILL when the cleanup grace ends (within 1 s), teardown runs, exit 1', async () => {
    const s = setup();
    const run = runChild([...s.args, '--timeout=2s', '--cleanup-grace=3s'], { cwd: s.dir, env: s.env });
    const start = await waitForEvent(s.log, 'start');
    const r = await run.done;
    const ev = events(s.log);
    const sigint = ev.find((e) => e.ev === 'SIGINT');
    assert.ok(sigint, 'the test command got SIGINT');
    const lastBeat = ev.filter((e) => e.ev === 'beat').at(-1)!;
    assert.ok(Math.abs(sigint.t - start.t - 2000) < 1000, `SIGINT ${sigint.t - start.t} ms after start, want ~2000`);
    assert.ok(
      Math.abs(lastBeat.t - sigint.t - 3000) < 1000,
      `killed ${lastBeat.t - sigint.t} ms after SIGINT, want ~3000`,
    );
    assert.equal(r.code, 1, r.stderr);
    const j = junit(join(s.dir, 'dump'));
    assert.deepEqual(
      j.cases.map((c) => c.name),
      ['test setup', 'stubborn', 'DumpClusterLogs', 'TearDown', 'Timeout'],
    );
    assert.match(j.cases[1]!.failure ?? '', /interrupted/);
    assert.equal(j.cases[2]!.failure, undefined, 'dump ran during the grace');
    assert.equal(j.cases[3]!.failure, undefined, 'teardown ran and passed during the grace');
    assert.equal(j.cases[4]!.failure, 'kubetest --timeout triggered');
    assert.equal(j.cases[4]!.time, '2');
    assertGone([start.pid, start.grandchild!]);
    const finished = JSON.parse(readFileSync(join(s.dir, 'dump', 'finished.json'), 'utf8'));
    assert.equal(finished.result, 'FAILURE');
    const summary = validSummary(join(s.dir, 'dump'));
    assert.equal(summary.reason, '--timeout reached; 1 step(s) failed: stubborn');
    assert.deepEqual(
      summary.steps.map((x) => [x.name, x.status]),
      [
        ['test setup', 'passed'],
        ['stubborn', 'failed'],
        ['DumpClusterLogs', 'passed'],
        ['TearDown', 'passed'],
      ],
    );
  });

  for (const [sig, code] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const) {
    it(`${sig} to kubetest mid-step: step interrupted, teardown ran, junit complete, exit ${code}, no process left`, async () => {
      const s = setup('obey');
      const run = runChild([...s.args, '--cleanup-grace=30s'], { cwd: s.dir, env: s.env });
      const start = await waitForEvent(s.log, 'start');
      run.kill(sig);
      const r = await run.done;
      assert.equal(r.code, code, r.stderr);
      assert.ok(r.ms < 15_000, `took ${r.ms} ms`);
      assert.ok(
        events(s.log).some((e) => e.ev === 'SIGINT'),
        'the child group got SIGINT',
      );
      const j = junit(join(s.dir, 'dump'));
      assert.deepEqual(
        j.cases.map((c) => c.name),
        ['test setup', 'stubborn', 'DumpClusterLogs', 'TearDown', 'Timeout'],
      );
      assert.match(j.cases[1]!.failure ?? '', /interrupted/);
      assert.equal(j.cases[3]!.failure, undefined, 'teardown ran');
      assert.equal(j.cases[4]!.failure, undefined, 'no deadline fired');
      assertGone([start.pid, start.grandchild!]);
      assert.equal(JSON.parse(readFileSync(join(s.dir, 'dump', 'finished.json'), 'utf8')).result, 'ABORTED');
      // summary.json and report.html are written after a signal too, and say why.
      const summary = validSummary(join(s.dir, 'dump'));
      assert.deepEqual([summary.result, summary.exitCode, summary.reason], ['ABORTED', code, `interrupted by ${sig}`]);
      assert.match(readFileSync(join(s.dir, 'dump', 'report.html'), 'utf8'), /class="badge ABORTED">ABORTED</);
      assert.match(r.stderr, new RegExp(`kubetest: interrupted by ${sig}; exit ${code} after `));
    });
  }

  it('a second signal kills at once and skips what is left', async () => {
    const s = setup('ignore');
    const run = runChild([...s.args, '--cleanup-grace=60s'], { cwd: s.dir, env: s.env });
    const start = await waitForEvent(s.log, 'start');
    run.kill('SIGTERM');
    await waitForEvent(s.log, 'SIGINT');
    await run.waitForOutput(/received SIGTERM/);
    const t = Date.now();
    run.kill('SIGTERM');
    const r = await run.done;
    assert.equal(r.code, 143);
    assert.ok(Date.now() - t < 5000, 'the second signal does not wait for the grace');
    assertGone([start.pid, start.grandchild!]);
    assert.ok(existsSync(join(s.dir, 'dump', 'junit_runner.xml')));
  });

  it('a failing test step still dumps and tears down; exit 1', async () => {
    const dir = tempDir('fail');
    const r = await runChild(
      ['--deployment=none', '--test-cmd=/bin/false', '--test-cmd-name=failing', '--dump=d', '--down'],
      { cwd: dir, env: BASE_ENV },
    ).done;
    assert.equal(r.code, 1);
    const j = junit(join(dir, 'd'));
    assert.deepEqual(
      j.cases.map((c) => [c.name, c.failure !== undefined]),
      [
        ['test setup', false],
        ['failing', true],
        ['DumpClusterLogs', false],
        ['TearDown', false],
        ['Timeout', false],
      ],
    );
    assert.equal(j.cases[1]!.failure, 'error during /bin/false: exit status 1');
    assert.equal(j.failures, 1);
    assert.equal(j.tests, 4);
  });

  it('durations past 2^31 ms wait instead of firing at once (--timeout=597h, --cleanup-grace=999999h)', async () => {
    const dir = tempDir('long');
    const r = await runChild(
      ['--deployment=none', '--test-cmd=/bin/sleep', '--test-cmd-args=1', '--timeout=597h', '--cleanup-grace=999999h'],
      { cwd: dir, env: BASE_ENV },
    ).done;
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /--timeout reached/);
  });

  it('a disk that fills mid-run does not stop it: teardown runs, the failed report write means exit 1', async () => {
    const dir = tempDir('nospace');
    const dump = join(dir, 'dump');
    mkdirSync(dump);
    // A 1 MiB tmpfs as the report dir, filled up by the post-test command: later report writes get ENOSPC.
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'kubetest-test', dump]);
    try {
      writeFileSync(join(dir, 'fill.sh'), `dd if=/dev/zero of=${join(dump, 'fill')} bs=64k 2>/dev/null; exit 0\n`);
      const r = await runChild(
        ['--deployment=none', '--test-cmd=/bin/true', '--post-test-cmd=/bin/sh fill.sh', `--dump=${dump}`, '--down'],
        { cwd: dir, env: BASE_ENV },
      ).done;
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /reports: could not write .*ENOSPC/);
      assert.match(r.stderr, /\[TearDown\] ok/);
      assert.match(r.stderr, /the final reports could not be written; exit 1/);
      assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
      assert.deepEqual(
        readdirSync(dump).filter((f) => f.endsWith('.tmp')),
        [],
        'no half-written temp files',
      );
    } finally {
      execFileSync('umount', [dump]);
    }
  });

  it('cleanup waits for the interrupted child to finish its own cleanup; junit keeps its command and time', async () => {
    const dir = tempDir('trap');
    const marker = join(dir, 'child-done');
    writeFileSync(
      join(dir, 'trap.sh'),
      `trap 'sleep 2; touch ${marker}; exit 3' INT\necho ready\nwhile :; do sleep 0.1; done\n`,
    );
    const run = runChild(
      ['--deployment=none', '--test-cmd=/bin/sh', '--test-cmd-args=trap.sh', '--test-cmd-name=trapper', '--dump=d'],
      { cwd: dir, env: BASE_ENV },
    );
    await run.waitForOutput(/\[trapper\] start/);
    await new Promise((r) => setTimeout(r, 500));
    run.kill('SIGINT');
    const r = await run.done;
    assert.equal(r.code, 130, r.stderr);
    const dumpStart = r.stderr.indexOf('[DumpClusterLogs] start');
    const failed = r.stderr.indexOf('[trapper] FAILED');
    assert.ok(failed >= 0 && dumpStart > failed, r.stderr);
    assert.ok(existsSync(marker), 'the child finished its trap before kubetest exited');
    const c = junit(join(dir, 'd')).cases.find((x) => x.name === 'trapper')!;
    assert.match(String(c.failure), /error during \/bin\/sh trap\.sh \(interrupted\): exit status 3/);
    assert.ok(Number(c.time) >= 2, `the step's time covers the child's life: ${c.time}`);
  });

  it('reports go to --dump and $ARTIFACTS, with metadata and Prow files', async () => {
    const dir = tempDir('rep');
    const r = await runChild(
      ['--deployment=none', '--test-cmd=/bin/true', '--dump=d', '--metadata-sources=images.json,extra.json'],
      {
        cwd: dir,
        env: {
          ...BASE_ENV,
          ARTIFACTS: join(dir, 'a'),
          BUILD_METADATA_GCE_NODE_IMAGE: 'cos-121',
          BUILD_METADATA_FOO: 'bar',
        },
      },
    ).done;
    assert.equal(r.code, 0, r.stderr);
    for (const d of ['d', 'a']) {
      for (const f of ['junit_runner.xml', 'metadata.json', 'started.json', 'finished.json', 'report.html'])
        assert.ok(existsSync(join(dir, d, f)), `${d}/${f}`);
      assert.equal(validSummary(join(dir, d)).reason, 'all 3 steps passed');
      const md = JSON.parse(readFileSync(join(dir, d, 'metadata.json'), 'utf8'));
      assert.deepEqual(md, {
        gce_node_image: 'cos-121',
        foo: 'bar',
        'job-version': 'unknown',
        'kubetest-version': md['kubetest-version'],
        revision: 'unknown',
      });
      const fin = JSON.parse(readFileSync(join(dir, d, 'finished.json'), 'utf8'));
      assert.equal(fin.passed, true);
      assert.equal(fin.result, 'SUCCESS');
      assert.ok(typeof JSON.parse(readFileSync(join(dir, d, 'started.json'), 'utf8')).timestamp === 'number');
    }
  });
});
