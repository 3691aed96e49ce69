// Polling with a deadline, the one way every wait in the project is written: check, stop early when the
// thing being waited for died or the run was aborted, and say what was last seen when time is up.
import { sleep } from './sleep.js';

export interface PollOptions {
  timeoutMs: number;
  /** Between probes (default 100 ms); with firstIntervalMs, the longest gap the backoff grows to. */
  intervalMs?: number;
  /** Start probing this often and double the gap up to intervalMs (things that are usually ready soon). */
  firstIntervalMs?: number;
  signal?: AbortSignal;
  /** Checked between probes: a process that died will never become ready. */
  alive?: () => boolean;
  /** Names the thing in errors ("kube-apiserver"). */
  what: string;
  /** The error message when time is up (default: "<what> was not ready within Ns (<last>)"). */
  timeoutMessage?: (last: string) => string;
}

/** Polls until `check` resolves true; a check that throws counts as "not yet" and its message is kept. */
export async function poll(check: () => Promise<boolean>, o: PollOptions): Promise<void> {
  const until = Date.now() + o.timeoutMs;
  let last = 'not ready';
  const maxGap = o.intervalMs ?? 100;
  let gap = Math.min(o.firstIntervalMs ?? maxGap, maxGap);
  for (;;) {
    if (o.signal?.aborted) throw o.signal.reason;
    try {
      if (await check()) return;
    } catch (e) {
      last = (e as Error).message;
    }
    if (o.alive && !o.alive()) throw new Error(`${o.what} exited before it became ready`);
    if (Date.now() > until) {
      throw new Error(
        o.timeoutMessage?.(last) ?? `${o.what} was not ready within ${Math.round(o.timeoutMs / 1000)}s (${last})`,
      );
    }
    await sleep(gap, o.signal);
    gap = Math.min(gap * 2, maxGap);
  }
}
