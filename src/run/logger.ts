// Human progress lines on stderr: "2026-11-25 18:59:10 [Up] message".
import type { Logger } from '../api/logger.js';
import { stderrFd, type Out } from '../util/stdio.js';

export type { Logger };

export function stderrLogger(out: NodeJS.WritableStream = process.stderr): Logger {
  return { ...lines(out), stream: out };
}

/**
 * The logger of what finishes before a run starts (a dry run, --rerun-failed's note): lines written to fd 2
 * synchronously (util/stdio.ts); process.stderr is built only if the raw stream is asked for.
 */
export function stderrFdLogger(): Logger {
  return {
    ...lines(stderrFd),
    get stream() {
      return process.stderr;
    },
  };
}

function lines(out: Out): Pick<Logger, 'info' | 'warn'> {
  const line = (level: string, msg: string, step?: string) => {
    const ts = new Date().toISOString().replace('T', ' ').slice(0, 19);
    out.write(`${ts}${level}${step ? ` [${step}]` : ''} ${msg}\n`);
  };
  return {
    info: (msg, step) => line('', msg, step),
    warn: (msg, step) => line(' WARNING', msg, step),
  };
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${Math.round(s - m * 60)}s`;
}
