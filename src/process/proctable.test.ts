import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import {
  isAlive,
  killTree,
  listProcs,
  processesOf,
  readProc,
  signalTargets,
  signalTree,
  sleep,
  type ProcInfo,
} from './proctable.js';

/** A detached child (its own session and group, as daemons and step commands are) that prints its pid. */
async function detached(argv: string[]): Promise<number> {
  const child = spawn(argv[0]!, argv.slice(1), { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  child.unref();
  const pid = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (b: Buffer) => resolve(Number(String(b).trim())));
    child.once('error', reject);
  });
  (child.stdout as unknown as { unref(): void }).unref();
  return pid;
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  for (const t0 = Date.now(); !check(); await sleep(20)) if (Date.now() - t0 > ms) assert.fail('timed out');
}

describe('process table', () => {
  it('signalTargets: each process once, by its group where the group can be signalled', () => {
    const proc = (pid: number, pgid: number): ProcInfo => ({
      pid,
      pgid,
      ppid: 1,
      sid: 100,
      comm: 'x',
      state: 'S',
      startTime: 1,
    });
    // 100 leads its session and group; 101 is in that group; 102 moved to a group of its own; 103 is in ours (50).
    const procs = [proc(100, 100), proc(101, 100), proc(102, 102), proc(103, 50)];
    const targets = signalTargets(procs, 50);
    assert.deepEqual(targets, [-100, -102, 103]);
    for (const p of procs) {
      const hits = targets.filter((t) => t === p.pid || t === -p.pgid).length;
      assert.equal(hits, 1, `pid ${p.pid} signalled once`);
    }
    assert.deepEqual(signalTargets([proc(7, 1)], 50), [7], 'never the group of init');
  });

  it('signalTree stops a real detached tree (a shell and its child)', async () => {
    const pid = await detached(['/bin/bash', '-c', 'echo $$; sleep 30 & wait']);
    await until(() => processesOf(pid).length === 2);
    assert.equal(signalTree(pid, 'SIGTERM'), 2);
    await until(() => processesOf(pid).length === 0);
    assert.equal(await killTree(pid, 0), 'gone');
  });

  it('killTree: once the daemon let go (released), a second SIGTERM ends the rest of its shutdown', async () => {
    // Exits on the second SIGTERM only, as a Kubernetes component cuts its graceful shutdown short.
    const script = "n=0; trap 'n=$((n+1)); [ $n -ge 2 ] && exit 0' TERM; echo $$; while :; do sleep 0.05; done";
    const pid = await detached(['/bin/bash', '-c', script]);
    const t0 = Date.now();
    assert.equal(await killTree(pid, 30_000, async () => true), 'stopped');
    assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
    const stubborn = await detached(['/bin/bash', '-c', script]);
    assert.equal(await killTree(stubborn, 300), 'killed', 'one SIGTERM, then SIGKILL after the grace');
  });

  it('a process whose main thread exited is alive while another thread runs (it still holds its files)', async () => {
    // The main thread leaves by pthread_exit: /proc shows the process as a zombie while its other thread sleeps.
    const py =
      'import ctypes, os, threading, time\n' +
      'print(os.getpid(), flush=True)\n' +
      'threading.Thread(target=time.sleep, args=(1.5,)).start()\n' +
      'ctypes.CDLL(None).pthread_exit(None)\n';
    const pid = await detached(['/usr/bin/python3', '-c', py]);
    await until(() => readProc(pid)?.state === 'Z');
    assert.equal(isAlive(pid), true, 'the leader is a zombie, a thread is left');
    assert.ok(listProcs().some((p) => p.pid === pid));
    await until(() => !isAlive(pid));
    assert.ok(!listProcs().some((p) => p.pid === pid), 'gone when its last thread is');
  });
});
