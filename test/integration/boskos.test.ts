// Boskos leases against the real Boskos server (built from sigs.k8s.io/boskos, --in_memory): a GCE job without
// --gcp-project leases a project, its cluster scripts and tests see it as PROJECT, heartbeats keep it from the
// reaper, and it is released dirty on every exit path; split --up / --test / --down keep one lease.
// The cluster scripts and gcloud are recording stubs (test/fixtures/recorder.mjs): no cloud here.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isAlive } from '../../src/process/proctable.js';
import { makeScratch, observeIn, OURS, type Case, type Obs, type Scratch } from '../differential/harness.js';
import { startBoskos, type BoskosServer } from '../helpers/servers.js';
import { runChild } from '../helpers/cli.js';

const TYPE = 'gce-project';
const POOL = ['proj-a', 'proj-b'];
const GCE = ['--provider=gce', '--gcp-zone=us-central1-b', '--check-version-skew=false'];
// Nothing here may reach the network: a proxy that does not exist.
const NO_PROXY = 'http://127.0.0.1:9';
// project-info describe shows the scratch home's ssh key: no config-ssh.
const GCLOUD = { gcloud: [{ match: 'project-info describe', stdout: 'ssh-rsa AAAA test\n' }] };

let boskos: BoskosServer;
before(async () => {
  boskos = await startBoskos({ [TYPE]: POOL, 'gke-project': ['gke-a'] });
});
after(async () => {
  await boskos?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Run {
  s: Scratch;
  run(args: string[], extra?: Partial<Case>, job?: string): Promise<Obs>;
}

function scratch(name: string): Run {
  const s = makeScratch({ name, args: [] }, name);
  return {
    s,
    run: (args, extra = {}, job = name) =>
      observeIn(
        OURS,
        {
          name,
          args: [...GCE, `--boskos-url=${boskos.url}`, '--dump=@ROOT@/dump', ...args],
          behaviors: { ...GCLOUD, ...extra.behaviors },
          env: { JOB_NAME: job, ...extra.env },
          capMs: extra.capMs ?? 60_000,
          ...(extra.signal ? { signal: extra.signal } : {}),
        },
        s,
        NO_PROXY,
      ),
  };
}

const projectsSeen = (o: Obs, tool: string) => o.calls.filter((c) => c.tool === tool).map((c) => c.env['PROJECT']);
/** The one project every call of `tool` saw (it ran at least once). */
const projectOf = (o: Obs, tool: string) => {
  const seen = [...new Set(projectsSeen(o, tool))];
  assert.equal(seen.length, 1, `${tool} ran, always with one PROJECT: ${JSON.stringify(seen)}`);
  return seen[0];
};

/**
 * What the reaper does, every `everyMs` while `work` runs: busy resources not updated for `expire` → dirty.
 * Boskos keeps update times to the second, so `expire` is 4 s against 1 s heartbeats, and the windows the
 * reaper watches are longer than that: without heartbeats it would reap.
 */
async function withReaper<T>(expire: string, everyMs: number, work: Promise<T>): Promise<{ out: T; reaped: string[] }> {
  const reaped: string[] = [];
  let done = false;
  const loop = (async () => {
    while (!done) {
      reaped.push(...Object.keys(await boskos.reset(TYPE, 'busy', expire, 'dirty')));
      await sleep(everyMs);
    }
  })();
  try {
    return { out: await work, reaped };
  } finally {
    done = true;
    await loop;
  }
}

/** What the janitor does, for the whole pool: every test starts with all of it free. */
async function freeAll(): Promise<void> {
  await boskos.reset(TYPE, 'busy', '0s', 'dirty');
  for (;;) {
    const name = await boskos.acquire(TYPE, 'janitor', 'dirty', 'cleaning').catch(() => undefined);
    if (!name) break;
    await boskos.release(name, 'janitor', 'free');
  }
  assert.deepEqual(await counts(), { free: POOL.length });
}

async function counts(): Promise<Record<string, number>> {
  return (await boskos.metric(TYPE)).current;
}

/** Owners of leased resources, as Boskos counts them (unowned ones left out). */
async function owners(): Promise<Record<string, number>> {
  return Object.fromEntries(Object.entries((await boskos.metric(TYPE)).owner).filter(([o]) => o !== ''));
}

describe('Boskos leases (real Boskos server)', () => {
  it('a gce job without --gcp-project leases a project: scripts and tests see PROJECT; heartbeats beat the reaper', async () => {
    await freeAll();
    const r = scratch('lease-full');
    let busyOwners: Record<string, number> = {};
    const run = r.run(['--up', '--test', '--down', '--boskos-heartbeat=1s'], {
      behaviors: { 'e2e-up.sh': { sleepMs: 6000 } },
    });
    const watch = (async () => {
      await sleep(1200);
      busyOwners = await owners();
    })();
    const { out: o, reaped } = await withReaper('4s', 250, run);
    await watch;
    assert.equal(o.exit, '0', o.stderr);
    assert.deepEqual(reaped, [], 'the reaper found no stale lease: the heartbeat kept it fresh');
    assert.deepEqual(busyOwners, { 'lease-full': 1 }, 'Boskos showed the project busy, owned by $JOB_NAME');
    const [project] = projectsSeen(o, 'e2e-up.sh');
    assert.ok(project && POOL.includes(project), `PROJECT=${project}`);
    for (const tool of ['e2e-up.sh', 'ginkgo-e2e.sh', 'e2e-down.sh']) assert.equal(projectOf(o, tool), project);
    const setProject = o.calls.find((c) => c.tool === 'gcloud' && c.argv.join(' ').startsWith('config set project'));
    assert.deepEqual(setProject?.argv, ['config', 'set', 'project', project]);
    assert.deepEqual(await counts(), { free: 1, dirty: 1 }, 'released dirty at the end');
    assert.ok(o.junit?.some((c) => c.name === 'Boskos Release' && c.result === 'ok'));
    assert.equal(existsSync(join(r.s.cwd, '_rundir', 'kubetest-run.json')), false, 'no run state left');
  });

  it('a gke job leases a gke-project: every gcloud call of the deployer names it', async () => {
    await freeAll();
    const r = scratch('gke');
    const o = await r.run(['--deployment=gke', '--provider=gke', '--cluster=c1', '--up', '--down']);
    assert.equal(o.exit, '0', o.stderr);
    const create = o.calls.find((c) => c.tool === 'gcloud' && c.argv.join(' ').includes('clusters create'));
    assert.ok(create?.argv.includes('--project=gke-a'), JSON.stringify(create));
    const projects = o.calls.flatMap((c) => c.argv.filter((a) => a.startsWith('--project=')));
    assert.deepEqual([...new Set(projects)], ['--project=gke-a']);
    assert.deepEqual((await boskos.metric('gke-project')).current, { dirty: 1 });
    assert.deepEqual(await counts(), { free: 2 }, 'no gce-project was taken');
  });

  it('with --gcp-project no lease is taken', async () => {
    await freeAll();
    const o = await scratch('no-lease').run(['--gcp-project=mine', '--up', '--down']);
    assert.equal(o.exit, '0', o.stderr);
    assert.deepEqual(projectsSeen(o, 'e2e-up.sh'), ['mine']);
    assert.deepEqual(await counts(), { free: 2 });
    assert.ok(!o.junit?.some((c) => c.name.startsWith('Boskos')));
  });

  it('an empty pool: Boskos Acquire waits --boskos-wait-duration, then fails the run before any cluster', async () => {
    await freeAll();
    await boskos.acquire(TYPE, 'other-job');
    await boskos.acquire(TYPE, 'other-job');
    const t0 = Date.now();
    const o = await scratch('empty').run(['--up', '--down', '--boskos-wait-duration=4s']);
    const ms = Date.now() - t0;
    assert.equal(o.exit, '1');
    assert.ok(ms >= 4000 && ms < 20_000, `waited ${ms} ms`);
    assert.match(o.stderr, /no free gce-project in Boskos at http:\/\/127\.0\.0\.1:\d+ within 4s/);
    assert.deepEqual(projectsSeen(o, 'e2e-up.sh'), []);
    assert.deepEqual(await counts(), { busy: 2 }, "the other job's leases are untouched");
  });

  for (const c of [
    { name: 'a failed Up (with --down)', args: ['--up', '--down'], behaviors: { 'e2e-up.sh': { exit: 1 } }, exit: '1' },
    { name: 'a failed Up (without --down)', args: ['--up'], behaviors: { 'e2e-up.sh': { exit: 1 } }, exit: '1' },
    {
      name: '--timeout',
      args: ['--up', '--down', '--timeout=2s'],
      behaviors: { 'e2e-up.sh': { sleepMs: 30_000 } },
      exit: '1',
    },
    {
      name: 'SIGTERM',
      args: ['--up', '--down'],
      behaviors: { 'e2e-up.sh': { sleepMs: 30_000 } },
      signal: { sig: 'SIGTERM' as const, tool: 'e2e-up.sh', delayMs: 300 },
      exit: '143',
    },
  ]) {
    it(`the lease is released dirty after ${c.name}`, async () => {
      await freeAll();
      const r = scratch(`rel-${c.args.length}-${c.exit}`);
      const o = await r.run(c.args, { behaviors: c.behaviors, ...(c.signal ? { signal: c.signal } : {}) });
      assert.equal(o.exit, c.exit, o.stderr);
      assert.equal(projectsSeen(o, 'e2e-up.sh').length, 1);
      assert.deepEqual(await counts(), { free: 1, dirty: 1 });
      assert.ok(
        o.junit?.some((j) => j.name === 'Boskos Release' && j.result === 'ok'),
        JSON.stringify(o.junit),
      );
      assert.equal(existsSync(join(r.s.cwd, '_rundir', 'kubetest-run.json')), false);
    });
  }

  it('split --up, --test, --down keep one lease across heartbeat intervals, then release it', async () => {
    await freeAll();
    const r = scratch('split');
    const hb = ['--boskos-heartbeat=1s'];
    const up = await r.run(['--up', ...hb]);
    assert.equal(up.exit, '0', up.stderr);
    const [project] = projectsSeen(up, 'e2e-up.sh');
    const state = JSON.parse(readFileSync(join(r.s.cwd, '_rundir', 'kubetest-run.json'), 'utf8')) as {
      lease: { name: string };
      heartbeat: { pid: number };
    };
    assert.equal(state.lease.name, project);
    assert.ok(isAlive(state.heartbeat.pid), 'a detached heartbeat holds the lease after --up exits');
    // Between invocations only the detached heartbeat keeps the lease: the reaper must find nothing stale.
    const gap1 = await withReaper('4s', 250, sleep(5000));
    const test = await withReaper('4s', 250, r.run(['--test', ...hb]));
    const gap2 = await withReaper('4s', 250, sleep(4500));
    assert.deepEqual([...gap1.reaped, ...test.reaped, ...gap2.reaped], []);
    assert.equal(test.out.exit, '0', test.out.stderr);
    assert.deepEqual(projectsSeen(test.out, 'ginkgo-e2e.sh'), [project]);
    assert.deepEqual(await owners(), { split: 1 });
    const down = await r.run(['--down', ...hb]);
    assert.equal(down.exit, '0', down.stderr);
    assert.equal(projectOf(down, 'e2e-down.sh'), project);
    assert.deepEqual(await counts(), { free: 1, dirty: 1 });
    await sleep(200);
    assert.equal(isAlive(state.heartbeat.pid), false, '--down stopped the heartbeat');
    assert.equal(existsSync(join(r.s.cwd, '_rundir', 'kubetest-run.json')), false);
  });

  it('a stale run state (heartbeat gone, lease reaped) fails --test clearly; --down still tears down', async () => {
    await freeAll();
    const r = scratch('stale');
    const up = await r.run(['--up', '--boskos-heartbeat=1s']);
    assert.equal(up.exit, '0', up.stderr);
    const [project] = projectsSeen(up, 'e2e-up.sh');
    const state = JSON.parse(readFileSync(join(r.s.cwd, '_rundir', 'kubetest-run.json'), 'utf8')) as {
      heartbeat: { pid: number };
    };
    process.kill(state.heartbeat.pid, 'SIGKILL');
    await sleep(2200);
    assert.deepEqual(Object.keys(await boskos.reset(TYPE, 'busy', '1s', 'dirty')), [project]);
    const test = await r.run(['--test']);
    assert.equal(test.exit, '1');
    assert.match(
      test.stderr,
      new RegExp(`the lease of ${project} in \\S+kubetest-run.json .* is lost: .*pid \\d+ gone`),
    );
    assert.deepEqual(projectsSeen(test, 'ginkgo-e2e.sh'), [], 'no tests on a lost lease');
    const down = await r.run(['--down']);
    assert.equal(down.exit, '0', down.stderr);
    assert.equal(projectOf(down, 'e2e-down.sh'), project);
    assert.equal(existsSync(join(r.s.cwd, '_rundir', 'kubetest-run.json')), false);
  });

  it('a lease nobody comes back for is released when --boskos-lease-ttl runs out', async () => {
    await freeAll();
    const r = scratch('ttl');
    const up = await r.run(['--up', '--boskos-heartbeat=1s', '--boskos-lease-ttl=2s']);
    assert.equal(up.exit, '0', up.stderr);
    assert.deepEqual(await counts(), { free: 1, busy: 1 });
    const until = Date.now() + 10_000;
    while (Date.now() < until && (await counts())['dirty'] !== 1) await sleep(200);
    assert.deepEqual(await counts(), { free: 1, dirty: 1 });
  });

  it('a split --down or --test with no recorded lease leases nothing and runs nothing (no teardown in a stranger project)', async () => {
    await freeAll();
    const r = scratch('nostate');
    for (const args of [['--down'], ['--test', '--down']]) {
      const o = await r.run(args);
      assert.equal(o.exit, '1');
      assert.match(o.stderr, /\[Boskos Acquire\] FAILED \([^)]*\): no lease recorded in \S+kubetest-run\.json/);
      assert.deepEqual(projectsSeen(o, 'e2e-down.sh'), [], 'no TearDown without the project');
      assert.ok(
        o.calls.every((c) => c.tool !== 'gcloud'),
        'no gcloud call without the project',
      );
    }
    assert.deepEqual(await counts(), { free: 2 });
  });

  it('an interrupted split --test keeps the lease for the --down; a second --up in the same run dir is refused', async () => {
    await freeAll();
    const r = scratch('split-int');
    const up = await r.run(['--up']);
    assert.equal(up.exit, '0', up.stderr);
    const project = projectOf(up, 'e2e-up.sh');
    const again = await r.run(['--up'], { behaviors: {} }, 'split-int');
    // The first --up is over: its lock is gone, and the recorded lease is reused rather than a second one taken.
    assert.equal(again.exit, '0', again.stderr);
    assert.equal(projectOf(again, 'e2e-up.sh'), project);
    const test = await r.run(['--test'], {
      behaviors: { 'ginkgo-e2e.sh': { sleepMs: 30_000 } },
      signal: { sig: 'SIGTERM', tool: 'ginkgo-e2e.sh', delayMs: 300 },
    });
    assert.equal(test.exit, '143');
    assert.ok(
      test.junit?.some((j) => j.name === 'Boskos Keep' && j.result === 'ok'),
      JSON.stringify(test.junit),
    );
    assert.deepEqual(await owners(), { 'split-int': 1 }, 'still leased after the interrupted --test');
    const down = await r.run(['--down']);
    assert.equal(down.exit, '0', down.stderr);
    assert.equal(projectOf(down, 'e2e-down.sh'), project);
    assert.deepEqual(await counts(), { free: 1, dirty: 1 });
  });

  it('two --up at once in one run dir: the second fails at once, naming the first; one lease only', async () => {
    await freeAll();
    const r = scratch('twice');
    const first = r.run(['--up', '--down'], { behaviors: { 'e2e-up.sh': { sleepMs: 4000 } } });
    await sleep(1500);
    // Not through the harness: it would end the first run's stub processes when the second one is done.
    const second = await runChild([...GCE, `--boskos-url=${boskos.url}`, '--up', '--down'], {
      cwd: r.s.cwd,
      env: { PATH: `${join(r.s.root, 'bin')}:/usr/bin:/bin`, HOME: join(r.s.root, 'home'), JOB_NAME: 'twice' },
    }).done;
    assert.equal(second.code, 1, second.stderr);
    assert.match(second.stderr, /\[Boskos Acquire\] FAILED \([^)]*\): \S+_rundir is in use: kubetest pid \d+ holds/);
    assert.equal((await first).exit, '0');
    assert.deepEqual(await counts(), { free: 1, dirty: 1 });
  });
});
