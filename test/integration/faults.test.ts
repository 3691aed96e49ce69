// Fault injection at every lifecycle step (../shared/issue #20): for build, stage, extract, up, test, dump and
// down, a signal (SIGINT, SIGTERM), SIGKILL of kubetest followed by a new --up (and --down), the step's child
// crashing, the deadline expiring inside the step (for dump and down: inside the cleanup grace), and the
// report dir's disk filling up as the step starts. After each case: the exit code is the documented one, junit
// parses and names the failed step (and Timeout), teardown ran when the cluster existed, reports written
// earlier are intact, and nothing of the run is left: no process, listener, mount, cluster dir or temp dir.
// The faults come from KUBETEST_FAILPOINTS (src/run/failpoints.ts); the cluster is a real local one.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { runChild } from '../helpers/cli.js';
import { clusterEnv, workDirWithRelease } from '../helpers/local.js';
import { peers } from '../helpers/peers.js';
import { processesUnder } from '../../src/process/proctable.js';
import { processesMentioning } from '../helpers/procs.js';

type Step = 'build' | 'stage' | 'extract' | 'up' | 'test' | 'dump' | 'down';
type Fault = 'SIGINT' | 'SIGTERM' | 'SIGKILL+up' | 'crash' | 'deadline' | 'disk-full';

const STEPS: Record<Step, { id: string; junit: string; flags: string[]; cleanup?: boolean }> = {
  build: { id: 'build', junit: 'Build', flags: ['--build=quick'] },
  stage: { id: 'stage', junit: 'Stage', flags: ['--stage=file:///nonexistent/ci'] },
  extract: { id: 'extract', junit: 'Extract', flags: [] },
  up: { id: 'up', junit: 'Up', flags: [] },
  test: { id: 'test-cmd', junit: 'test', flags: [] },
  dump: { id: 'dump', junit: 'DumpClusterLogs', flags: [], cleanup: true },
  down: { id: 'teardown', junit: 'TearDown', flags: [], cleanup: true },
};
const FAULTS: Fault[] = ['SIGINT', 'SIGTERM', 'SIGKILL+up', 'crash', 'deadline', 'disk-full'];
const EXIT: Record<Fault, number> = {
  SIGINT: 130,
  SIGTERM: 143,
  'SIGKILL+up': 0,
  crash: 1,
  deadline: 1,
  'disk-full': 1,
};

interface Junit {
  cases: Array<{ name: string; failure?: unknown; skipped?: unknown }>;
}
function junit(dump: string): Junit {
  const doc = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (n) => n === 'testcase',
  }).parse(readFileSync(join(dump, 'junit_runner.xml'), 'utf8'));
  return { cases: doc.testsuite.testcase ?? [] };
}

const table: string[] = [];
after(() => {
  const passed = table.filter((r) => r.endsWith('pass')).length;
  process.stderr.write(`\nfault injection (step × fault → result):\n${table.join('\n')}\n`);
  process.stderr.write(`${passed} passed, ${table.length - passed} failed\n`);
});

describe('fault injection at every step', () => {
  for (const step of Object.keys(STEPS) as Step[]) {
    for (const fault of FAULTS) {
      it(`${step} × ${fault}`, async () => {
        try {
          await runCase(step, fault);
          table.push(`${step.padEnd(8)} ${fault.padEnd(13)} pass`);
        } catch (e) {
          table.push(`${step.padEnd(8)} ${fault.padEnd(13)} FAIL`);
          throw e;
        }
      });
    }
  }
});

async function runCase(step: Step, fault: Fault): Promise<void> {
  const dir = await workDirWithRelease();
  const dump = join(dir, 'dump');
  const action =
    fault === 'crash'
      ? 'crash'
      : fault === 'disk-full'
        ? 'pause'
        : step === 'up' || step === 'down'
          ? 'hang-after'
          : 'hang';
  if (fault === 'disk-full') {
    mkdirSync(dump);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'kubetest-faults', dump]);
  }
  try {
    await runCaseIn(dir, step, fault, action);
  } finally {
    if (fault === 'disk-full') execFileSync('umount', [dump]);
  }
}

/** Writes until the filesystem of dir has no space left. */
function fillDisk(dir: string): void {
  const fd = openSync(join(dir, 'filler'), 'w');
  const block = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, block);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    closeSync(fd);
  }
}

async function runCaseIn(dir: string, step: Step, fault: Fault, action: string): Promise<void> {
  const s = STEPS[step];
  const dump = join(dir, 'dump');
  const args = [
    '--deployment=local',
    `--extract=file://${peers().release.dir}`,
    '--up',
    '--down',
    '--test-cmd=/bin/true',
    '--test-cmd-name=test',
    `--dump=${dump}`,
    // Room for dump and teardown on a machine busy with other tests (a dump took 7 s there).
    '--cleanup-grace=20s',
    // The deadline must fall inside the step: early steps start at once; Up and the test come after a cluster
    // start (slow on a loaded machine); dump and down after the test.
    ...(fault === 'deadline' ? [`--timeout=${s.cleanup ? 35 : ['up', 'test'].includes(step) ? 45 : 4}s`] : []),
    ...(fault === 'deadline' && s.cleanup ? ['--cleanup-grace=3s'] : []),
    ...s.flags,
  ];
  const env = { ...clusterEnv(), KUBETEST_FAILPOINTS: `${s.id}=${action}` };
  const run = runChild(args, { cwd: dir, env });
  if (fault === 'SIGINT' || fault === 'SIGTERM' || fault === 'SIGKILL+up') {
    await run.waitForOutput(new RegExp(`\\[${s.junit}\\] failpoint: ${action}`), 120_000);
    run.kill(fault === 'SIGKILL+up' ? 'SIGKILL' : fault);
  }
  if (fault === 'disk-full') {
    await run.waitForOutput(new RegExp(`\\[${s.junit}\\] failpoint: pause`), 120_000);
    fillDisk(dump);
  }
  const r = await run.done;
  const clusterDir = join(dir, '_rundir', 'local', 'local');
  if (fault === 'SIGKILL+up') {
    assert.equal(r.signal, 'SIGKILL');
    // The new run finds what the killed one left (its cluster still running from Up on) and starts afresh.
    const again = await runChild(['--deployment=local', `--extract=file://${peers().release.dir}`, '--up', '--down'], {
      cwd: dir,
      env: clusterEnv(),
    }).done;
    assert.equal(again.code, 0, again.stderr);
    // Its TearDown Previous stopped the daemons the killed run left.
    if (['up', 'test', 'dump'].includes(step))
      assert.match(again.stderr, /\[TearDown Previous\] local cluster \S+ down in [\d.]+s \(stopped: (?!none)/);
  } else if (fault === 'disk-full') {
    assert.equal(r.code, EXIT[fault], r.stderr);
    assert.match(r.stderr, /reports: the final reports could not be written; exit 1/);
    // What was written before the disk filled is whole: files are replaced, never rewritten in place.
    JSON.parse(readFileSync(join(dump, 'started.json'), 'utf8'));
    // junit is written after each step: build, stage and extract are the first steps of their runs.
    if (['up', 'test', 'dump', 'down'].includes(step)) assert.ok(junit(dump).cases.length > 0, 'the junit before');
    else assert.ok(!existsSync(join(dump, 'junit_runner.xml')), 'no half-written junit');
    if (['up', 'test', 'dump'].includes(step)) assert.match(r.stderr, /\[TearDown\]/, 'TearDown ran');
    assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
  } else {
    assert.equal(r.code, EXIT[fault], r.stderr);
    const j = junit(dump);
    const failed = j.cases.find((c) => c.name === s.junit);
    assert.ok(failed?.failure !== undefined, `junit names ${s.junit} failed: ${JSON.stringify(j.cases)}`);
    const timeout = j.cases.find((c) => c.name === 'Timeout');
    assert.equal(timeout?.failure !== undefined, fault === 'deadline', 'Timeout case');
    const touched = !['build', 'stage', 'extract'].includes(step);
    if (touched && step !== 'down') {
      const td = j.cases.find((c) => c.name === 'TearDown');
      assert.ok(td && td.failure === undefined && td.skipped === undefined, `TearDown ran: ${JSON.stringify(j.cases)}`);
    }
    if (fault === 'crash') assert.match(r.stderr, /signal: segmentation fault|SIGSEGV/);
    assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
  }
  if (fault === 'SIGKILL+up') {
    // kill -9 cannot be handled: the step's own child (the failpoint's sleep, in its session) outlives
    // kubetest. Everything the cluster started is gone (checked below); the orphan is removed here.
    for (const p of processesUnder(dir)) if (p.comm === 'sleep') process.kill(p.pid, 'SIGKILL');
  }
  const left = [...new Set([...processesMentioning(dir), ...processesUnder(dir).map((p) => p.pid)])];
  assert.deepEqual(left, [], `processes of the run still running: ${left.join(', ')}`);
  assert.ok(!existsSync(clusterDir), `${clusterDir} is left`);
  const temps = readdirSync(dir).filter((f) => f.startsWith('.kubetest-'));
  assert.deepEqual(temps, [], 'temp dirs left in the work dir');
}
