// Keeping a Boskos lease busy: in process while one kubetest runs, and in a small detached process
// (heartbeat-main.ts) that holds the lease between split `--up` / `--test` / `--down` invocations — the
// failure kubetest and kubetest2 have there (the reaper takes the project mid-job).
import { BoskosClient, LeaseLostError } from './client.js';

export interface Heartbeat {
  stop(): void;
  /** Set once Boskos refused a beat: the lease is no longer ours. */
  readonly lost: LeaseLostError | undefined;
}

/** Beats every `intervalMs` (0 disables); other errors are logged and the next beat tries again. */
export function startHeartbeat(
  client: BoskosClient,
  name: string,
  intervalMs: number,
  log: (msg: string) => void,
): Heartbeat {
  let timer: NodeJS.Timeout | undefined;
  let stopped = intervalMs <= 0;
  const ctl = new AbortController();
  const hb: { lost: LeaseLostError | undefined; stop(): void } = {
    lost: undefined,
    stop() {
      stopped = true;
      clearTimeout(timer);
      ctl.abort();
    },
  };
  const beat = async () => {
    try {
      await client.update(name, 'busy', ctl.signal);
    } catch (e) {
      if (stopped) return;
      if (e instanceof LeaseLostError) {
        hb.lost = e;
        log(`lease lost: ${e.message}`);
        stopped = true;
        return;
      }
      log(`heartbeat for ${name} failed (will retry): ${(e as Error).message}`);
    }
    arm();
  };
  const arm = () => {
    if (stopped) return;
    timer = setTimeout(() => void beat(), intervalMs);
    timer.unref();
  };
  arm();
  return hb;
}

/** What the detached heartbeat is told (its argv is this object as JSON: no shell, no quoting). */
export interface DetachedHeartbeatSpec {
  url: string;
  owner: string;
  name: string;
  intervalMs: number;
  /** The run-state file: the heartbeat stops when it no longer names this lease and this process. */
  stateFile: string;
  /** Epoch ms after which the lease is released dirty and the heartbeat exits (nobody came to --down). */
  untilMs: number;
  /** Where it reports a lost lease (JSON {lostAtMs, message}). */
  statusFile: string;
}

export function parseHeartbeatSpec(arg: string | undefined): DetachedHeartbeatSpec {
  const o = JSON.parse(arg ?? '') as Partial<DetachedHeartbeatSpec>;
  for (const k of ['url', 'owner', 'name', 'stateFile', 'statusFile'] as const) {
    if (typeof o[k] !== 'string' || !o[k]) throw new Error(`heartbeat spec: ${k} missing`);
  }
  for (const k of ['intervalMs', 'untilMs'] as const) {
    if (typeof o[k] !== 'number' || !(o[k] > 0)) throw new Error(`heartbeat spec: ${k} missing`);
  }
  return o as DetachedHeartbeatSpec;
}
