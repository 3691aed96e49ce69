// One deadline and the signals for a run. States move one way:
//   running --(deadline | first signal)--> interrupted --(grace over | second signal)--> terminated
// "interrupted": the current non-cleanup child gets SIGINT and only cleanup steps run afterwards.
// "terminated": every child we still have gets SIGKILL and nothing else runs.
import { EventEmitter, setMaxListeners } from 'node:events';
import { setLongTimeout, type LongTimer } from '../util/timer.js';

export type StopReason = 'timeout' | 'SIGINT' | 'SIGTERM' | 'SIGHUP';

export interface ControlOptions {
  timeoutMs: number; // 0 = no deadline
  cleanupGraceMs: number;
  /** Signals to handle; tests can pass [] to drive the control by hand. */
  signals?: NodeJS.Signals[];
  log?: (msg: string) => void;
}

export class RunControl extends EventEmitter {
  state: 'running' | 'interrupted' | 'terminated' = 'running';
  reason: StopReason | null = null;
  readonly startedAt = Date.now();
  timedOut = false;
  /** Aborted at interrupt: for work of ordinary steps. */
  readonly interruptSignal: AbortSignal;
  /** Aborted at terminate: for work of cleanup steps. */
  readonly terminateSignal: AbortSignal;
  private readonly interruptCtl = new AbortController();
  private readonly terminateCtl = new AbortController();
  private deadlineTimer: LongTimer | undefined;
  private graceTimer: LongTimer | undefined;
  private readonly handlers = new Map<NodeJS.Signals, () => void>();
  private readonly log: (msg: string) => void;

  constructor(private readonly opts: ControlOptions) {
    super();
    this.interruptSignal = this.interruptCtl.signal;
    this.terminateSignal = this.terminateCtl.signal;
    // Every concurrent request or child of a step listens on these (parallel downloads, checksum reads).
    setMaxListeners(256, this.interruptSignal, this.terminateSignal);
    this.log = opts.log ?? (() => {});
    if (opts.timeoutMs > 0) {
      this.deadlineTimer = setLongTimeout(() => this.interrupt('timeout'), opts.timeoutMs);
    }
    for (const sig of opts.signals ?? ['SIGINT', 'SIGTERM', 'SIGHUP']) {
      const h = () => this.onSignal(sig);
      this.handlers.set(sig, h);
      process.on(sig, h);
    }
  }

  /** Milliseconds left before the deadline (Infinity without one). */
  remainingMs(): number {
    if (this.opts.timeoutMs <= 0) return Infinity;
    return Math.max(0, this.startedAt + this.opts.timeoutMs - Date.now());
  }

  signalFor(cleanup: boolean): AbortSignal {
    return cleanup ? this.terminateSignal : this.interruptSignal;
  }

  private onSignal(sig: NodeJS.Signals): void {
    if (this.state === 'running') {
      this.log(
        `received ${sig}: interrupting the current step; cleanup steps get ` +
          `${Math.round(this.opts.cleanupGraceMs / 1000)}s (send ${sig} again to kill everything now)`,
      );
      this.interrupt(sig as StopReason);
    } else if (this.state === 'interrupted') {
      this.log(`received ${sig} again: killing every child now`);
      if (this.reason === 'timeout') this.reason = sig as StopReason;
      this.terminate('signal');
    }
  }

  interrupt(reason: StopReason): void {
    if (this.state !== 'running') return;
    this.state = 'interrupted';
    this.reason = reason;
    if (reason === 'timeout') {
      this.timedOut = true;
      this.log(
        `--timeout reached: interrupting the current step; cleanup steps get ` +
          `${Math.round(this.opts.cleanupGraceMs / 1000)}s`,
      );
    }
    this.deadlineTimer?.clear();
    this.graceTimer = setLongTimeout(() => {
      this.log('cleanup grace is over: killing every child');
      this.terminate('grace');
    }, this.opts.cleanupGraceMs);
    this.interruptCtl.abort(new Error(`kubetest interrupted (${reason})`));
    this.emit('interrupt', reason);
  }

  /** Why the run was terminated: the cleanup grace ran out, or the user insisted with a second signal. */
  terminatedBy: 'grace' | 'signal' | null = null;

  terminate(by: 'grace' | 'signal' = 'signal'): void {
    if (this.state === 'terminated') return;
    this.terminatedBy = by;
    if (this.state === 'running') {
      this.state = 'interrupted';
      this.interruptCtl.abort(new Error('kubetest terminated'));
    }
    this.state = 'terminated';
    this.graceTimer?.clear();
    this.deadlineTimer?.clear();
    this.terminateCtl.abort(new Error('kubetest terminated'));
    this.emit('terminate');
  }

  /** Exit code for a run that was stopped: 130/143/129 for signals, otherwise undefined. */
  signalExitCode(): number | undefined {
    switch (this.reason) {
      case 'SIGINT':
        return 130;
      case 'SIGTERM':
        return 143;
      case 'SIGHUP':
        return 129;
      default:
        return undefined;
    }
  }

  dispose(): void {
    this.deadlineTimer?.clear();
    this.graceTimer?.clear();
    for (const [sig, h] of this.handlers) process.off(sig, h);
    this.handlers.clear();
  }
}
