// Live progress of an e2e run, read from ginkgo's own output: "Will run 56 of 7579 specs" at the start, then
// one "•" per finished spec ("• [FAILED]", "• [PANICKED]", "• [TIMEDOUT]" for the failed ones), and
// "Ran 56 of 7579 Specs in 73.2 seconds" at the end. Output arrives in chunks cut anywhere, so the parser
// keeps the unfinished last line.
import { StringDecoder } from 'node:string_decoder';
import type { StepContext } from '../api/context.js';
import { formatDuration } from '../run/logger.js';

export interface GinkgoCounts {
  /** Specs ginkgo will run (undefined until its "Will run" line). */
  planned: number | undefined;
  /** Specs in the suite, skipped ones included. */
  suite: number | undefined;
  done: number;
  failed: number;
  /** The "Ran X of Y" line was seen. */
  finished: boolean;
}

const FAILED_MARK = /^\s*\[(FAILED|PANICKED|TIMEDOUT|INTERRUPTED|ABORTED)\]/;
/** Bounds what is kept of a line that never ends (a stuck progress bar in a spec's output). */
const MAX_PENDING = 64 * 1024;

export class GinkgoProgress {
  private pending = '';
  /** A "•" is three bytes in UTF-8 and may be cut between two chunks. */
  private readonly decoder = new StringDecoder('utf8');
  private readonly counts: GinkgoCounts = { planned: undefined, suite: undefined, done: 0, failed: 0, finished: false };

  feed(chunk: Buffer | string): void {
    const text = this.pending + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    const lines = text.split('\n');
    this.pending = lines.pop()!.slice(-MAX_PENDING);
    for (const line of lines) this.line(line);
  }

  /** The counts so far (the unfinished line included, for its dots). */
  get snapshot(): GinkgoCounts {
    // Parallel ginkgo prints the dots of passed specs on one line that ends only with the suite.
    const unfinished = this.counts.finished ? 0 : this.pending.split('•').length - 1;
    return { ...this.counts, done: this.counts.done + unfinished };
  }

  private line(raw: string): void {
    // eslint-disable-next-line no-control-regex
    const line = raw.replace(/\x1b\[[0-9;]*m/g, '').replace(/\r$/, '');
    const will = /^Will run (\d+) of (\d+) specs?/.exec(line);
    if (will) {
      // Parallel ginkgo prints it once per process: the first one counts.
      if (this.counts.planned === undefined) {
        this.counts.planned = Number(will[1]);
        this.counts.suite = Number(will[2]);
      }
      return;
    }
    const ran = /^Ran (\d+) of (\d+) Specs?/.exec(line);
    if (ran) {
      this.counts.done = Number(ran[1]);
      this.counts.suite = Number(ran[2]);
      this.counts.finished = true;
      return;
    }
    // Dots of finished specs ("•", "S" for skipped ones) may share a line; a failure opens a block.
    let i = line.indexOf('•');
    while (i >= 0) {
      this.counts.done++;
      if (FAILED_MARK.test(line.slice(i + 1))) this.counts.failed++;
      i = line.indexOf('•', i + 1);
    }
  }
}

/**
 * "[Test] 37/56 specs, 1 failed, ~2m left" — the estimate once a few specs are done, at `recent` pace when given
 * (the specs done in the last minutes: the [Serial] specs at the end of a parallel run go far slower).
 */
export function progressLine(c: GinkgoCounts, elapsedMs: number, recent?: { specs: number; ms: number }): string {
  if (c.planned === undefined) return `e2e starting (${formatDuration(elapsedMs)})`;
  const done = Math.min(c.done, c.planned);
  let eta = '';
  if (done >= 3 && done < c.planned) {
    const msPerSpec = recent && recent.specs > 0 ? recent.ms / recent.specs : elapsedMs / done;
    const left = (c.planned - done) * msPerSpec;
    eta = `, ~${formatDuration(Math.round(left / 1000) * 1000)} left`;
  }
  return `${done}/${c.planned} specs, ${c.failed} failed${eta}`;
}

/** Progress samples over the last `windowMs`: how many specs finished in how long (once it spans a minute). */
export class RecentPace {
  private readonly samples: Array<{ t: number; done: number }> = [];

  constructor(private readonly windowMs = 5 * 60_000) {}

  add(t: number, done: number): { specs: number; ms: number } | undefined {
    this.samples.push({ t, done });
    while (this.samples.length > 2 && t - this.samples[1]!.t >= this.windowMs) this.samples.shift();
    const first = this.samples[0]!;
    if (t - first.t < 60_000) return undefined;
    return { specs: done - first.done, ms: t - first.t };
  }
}

/** The closing line: "e2e: ran 56 of 7579 specs, 1 failed, in 2m03s". */
export function finalLine(c: GinkgoCounts, elapsedMs: number): string {
  const of = c.suite !== undefined ? ` of ${c.suite}` : '';
  return `e2e: ran ${c.done}${of} specs, ${c.failed} failed, in ${formatDuration(elapsedMs)}`;
}

export interface ProgressWatch {
  feed: (chunk: Buffer) => void;
  /** Stops the reports and logs the final counts. */
  stop: () => void;
}

/**
 * Reports e2e progress while ginkgo runs: on a terminal a live line, redrawn every second and cleared before
 * child output is streamed past it; otherwise one log line every `everyMs` (CI logs stay readable).
 */
export function watchProgress(
  sc: StepContext,
  opts: { tty: boolean; everyMs: number; streamed: boolean },
): ProgressWatch {
  const parser = new GinkgoProgress();
  const t0 = Date.now();
  const out = sc.logger.stream;
  let drawn = false;
  let atLineStart = true;
  const clear = () => {
    if (drawn) out.write('\r\x1b[2K');
    drawn = false;
  };
  const pace = new RecentPace();
  const tick = () => {
    const now = Date.now();
    const snap = parser.snapshot;
    const line = progressLine(snap, now - t0, pace.add(now, snap.done));
    if (!opts.tty) return sc.log(line);
    if (!atLineStart) return;
    out.write(`\r\x1b[2K[${sc.stepName}] ${line}`);
    drawn = true;
  };
  const timer = setInterval(tick, opts.tty ? 1000 : opts.everyMs);
  timer.unref();
  return {
    feed: (chunk) => {
      parser.feed(chunk);
      if (opts.tty && opts.streamed) {
        clear();
        if (chunk.length > 0) atLineStart = chunk[chunk.length - 1] === 0x0a;
      }
    },
    stop: () => {
      clearInterval(timer);
      clear();
      sc.log(finalLine(parser.snapshot, Date.now() - t0));
    },
  };
}
