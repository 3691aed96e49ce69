// Running the Boskos lease of lease.ts: take it (from the run state or from Boskos), hand it to a detached
// heartbeat, or release it.
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DetachedHeartbeatSpec } from '../../boskos/heartbeat.js';
import { isSameProcess } from '../../process/proctable.js';
import { StepFailure } from '../../process/errors.js';
import { acquirePidLock, LockHeld } from '../../process/pidlock.js';
import type { RunContext } from '../context.js';
import {
  readRunState,
  removeRunState,
  runStateFile,
  writeRunState,
  type HeartbeatRecord,
  type LeaseRecord,
} from '../runstate.js';
import type { RunStepContext } from '../step.js';
import type { BoskosClient } from '../../boskos/client.js';
import type { Heartbeat } from '../../boskos/heartbeat.js';

export { startHeartbeat } from '../../boskos/heartbeat.js';

const boskos = () => import('../../boskos/client.js');

export interface Held {
  client: BoskosClient;
  lease: LeaseRecord;
  /** Came from an earlier invocation's run state: that --up's cluster is in it, and a --down will release it. */
  fromState: boolean;
  /** That state's heartbeat (it may still run). */
  prior?: HeartbeatRecord | undefined;
  /** The run dir's lease lock, held from Acquire to the end of this invocation. */
  unlock: () => void;
  /** Boskos already refused it when this invocation started. */
  lostAtStart?: string;
  beat?: Heartbeat;
}

export async function takeLease(sc: RunStepContext, ctx: RunContext, type: string): Promise<Held> {
  const unlock = lockRunDir(sc.runDir);
  try {
    return { ...(await leaseFor(sc, ctx, type)), unlock };
  } catch (e) {
    unlock();
    throw e;
  }
}

/** One invocation per run dir holds its lease at a time: a second one fails at once, naming the first. */
function lockRunDir(runDir: string): () => void {
  mkdirSync(runDir, { recursive: true });
  const file = join(runDir, 'kubetest-run.lock');
  try {
    return acquirePidLock(file);
  } catch (e) {
    if (e instanceof LockHeld) throw new StepFailure(`${runDir} is in use: kubetest pid ${e.holder} holds ${file}`);
    throw e;
  }
}

async function leaseFor(sc: RunStepContext, ctx: RunContext, type: string): Promise<Omit<Held, 'unlock'>> {
  const { cfg } = ctx;
  const { BoskosClient, LeaseLostError } = await boskos();
  const prior = readRunState(sc.runDir);
  if (prior) {
    const { lease } = prior;
    // A heartbeat record is trusted only as far as it names our heartbeat process and a file of this run dir.
    const heartbeat = prior.heartbeat && ownHeartbeat(prior.heartbeat, sc.runDir) ? prior.heartbeat : undefined;
    const client = new BoskosClient({ url: lease.url, owner: lease.owner });
    const alive = heartbeat !== undefined && isSameProcess(heartbeat.pid, heartbeat.startTime);
    const where = `${runStateFile(sc.runDir)} (leased ${new Date(lease.acquiredAtMs).toISOString()})`;
    sc.log(`lease ${lease.name} from ${where}; heartbeat ${alive ? `pid ${heartbeat!.pid}` : 'not running'}`);
    try {
      await client.update(lease.name, 'busy', sc.signal);
    } catch (e) {
      if (!(e instanceof LeaseLostError)) throw e;
      const why = `${e.message}; heartbeat: ${heartbeatStatus(heartbeat, alive)}`;
      // A --down still tears the cluster down in that project; anything else must not run on a lost lease.
      if (cfg.down && !cfg.up && !cfg.test) {
        sc.log(`lease ${lease.name} is lost (${why}): tearing down anyway, nothing to release`);
        return { client, lease, fromState: true, prior: heartbeat, lostAtStart: why };
      }
      throw new StepFailure(`the lease of ${lease.name} in ${where} is lost: ${why}`);
    }
    if (!alive && heartbeat) sc.log(`the heartbeat had stopped, but Boskos still gives ${lease.name} to us`);
    return { client, lease, fromState: true, prior: heartbeat };
  }
  // Without --up there is no cluster in a project leased now: a split --test or --down needs the --up's lease.
  if (!cfg.up) {
    throw new StepFailure(
      `no lease recorded in ${runStateFile(sc.runDir)}: a --test or --down without --up runs against the project ` +
        'an earlier --up leased (same --rundir), or give --gcp-project',
    );
  }
  const owner = cfg.boskos.owner;
  const client = new BoskosClient({ url: cfg.boskos.url, owner });
  sc.log(`acquiring a ${type} from Boskos at ${client.url} as ${owner} (waiting up to ${cfg.boskos.waitMs / 1000}s)`);
  const r = await client.acquire(type, cfg.boskos.waitMs, sc.signal);
  const lease: LeaseRecord = { url: client.url, owner, name: r.name, type, acquiredAtMs: Date.now() };
  // Recorded at once: if kubetest dies before its Release, a later --down in this run dir still releases it.
  writeRunState(sc.runDir, { version: 1, lease });
  sc.log(`leased ${r.name}`);
  return { client, lease, fromState: false };
}

/** The record names a file of this run dir and a process running our heartbeat entry (not any pid). */
function ownHeartbeat(h: HeartbeatRecord, runDir: string): boolean {
  if (dirname(h.statusFile) !== runDir || dirname(h.logFile) !== runDir) return false;
  try {
    return readFileSync(`/proc/${h.pid}/cmdline`, 'utf8').includes('"stateFile":');
  } catch {
    return true; // gone: nothing will be signalled; the record still says what happened
  }
}

function heartbeatStatus(h: HeartbeatRecord | undefined, alive: boolean): string {
  if (!h) return 'none was started';
  let status = '';
  try {
    status = readFileSync(h.statusFile, 'utf8').slice(0, 500);
  } catch {
    // no status: it never saw a refusal
  }
  return `${alive ? `pid ${h.pid} running` : `pid ${h.pid} gone`}${status ? `, reported ${status}` : ''}`;
}

export async function handOff(sc: RunStepContext, ctx: RunContext, held: Held): Promise<void> {
  held.beat?.stop();
  if (held.beat?.lost) throw new StepFailure(`the lease of ${held.lease.name} was lost during the run`);
  const { cfg } = ctx;
  if (held.prior && isSameProcess(held.prior.pid, held.prior.startTime)) {
    sc.log(`${held.lease.name} stays with heartbeat pid ${held.prior.pid} for a later --down`);
    return;
  }
  const stateFile = runStateFile(sc.runDir);
  const spec: DetachedHeartbeatSpec = {
    url: held.lease.url,
    owner: held.lease.owner,
    name: held.lease.name,
    intervalMs: cfg.boskos.heartbeatMs > 0 ? cfg.boskos.heartbeatMs : 300_000,
    stateFile,
    untilMs: held.prior?.untilMs ?? Date.now() + cfg.boskos.leaseTtlMs,
    statusFile: join(sc.runDir, 'boskos-heartbeat.status.json'),
  };
  const logFile = join(sc.runDir, 'boskos-heartbeat.log');
  const [{ startDaemon }, { entryScript }] = await Promise.all([
    import('../../process/daemon.js'),
    import('../../util/entrypoints.js'),
  ]);
  const d = await startDaemon([process.execPath, entryScript('heartbeat'), JSON.stringify(spec)], {
    logFile,
    env: { PATH: sc.env['PATH'] ?? '' },
  });
  const hb: HeartbeatRecord = {
    pid: d.pid,
    startTime: d.startTime,
    logFile,
    statusFile: spec.statusFile,
    untilMs: spec.untilMs,
  };
  writeRunState(sc.runDir, { version: 1, lease: held.lease, heartbeat: hb, kubeconfig: ctx.env['KUBECONFIG'] });
  const until = new Date(spec.untilMs).toISOString();
  sc.log(`${held.lease.name} kept for later invocations in ${sc.runDir}: heartbeat pid ${d.pid} until ${until}`);
}

export async function releaseLease(sc: RunStepContext, held: Held): Promise<void> {
  const { LeaseLostError } = await boskos();
  held.beat?.stop();
  const prior = held.prior;
  if (prior && isSameProcess(prior.pid, prior.startTime)) {
    process.kill(prior.pid, 'SIGTERM');
    sc.log(`stopped heartbeat pid ${prior.pid}`);
  }
  const lost = held.lostAtStart ?? held.beat?.lost?.message;
  if (lost) {
    removeRunState(sc.runDir);
    if (held.lostAtStart) return;
    throw new StepFailure(`the lease of ${held.lease.name} was lost during the run: ${lost}`);
  }
  try {
    await held.client.release(held.lease.name, 'dirty', sc.signal);
  } catch (e) {
    if (!(e instanceof LeaseLostError)) throw e;
    removeRunState(sc.runDir);
    throw new StepFailure(`releasing ${held.lease.name}: ${e.message}`);
  }
  removeRunState(sc.runDir);
  sc.log(`released ${held.lease.name} to Boskos as dirty`);
}
