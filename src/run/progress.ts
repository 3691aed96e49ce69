// Progress for long work (builds, waits): a live line on a TTY, a periodic line otherwise.
import { formatDuration, type Logger } from './logger.js';

export interface Activity {
  /** Replace the live detail (e.g. "kube-apiserver (3/16)"). */
  update(detail: string): void;
  done(summary?: string): void;
}

export function startActivity(
  log: Logger,
  step: string,
  label: string,
  opts: { tty?: boolean; everyMs?: number } = {},
): Activity {
  const tty = opts.tty ?? Boolean((log.stream as NodeJS.WriteStream).isTTY);
  const every = opts.everyMs ?? (tty ? 1000 : 30_000);
  const t0 = Date.now();
  let detail = label;
  let detailSince = Date.now();
  const render = () => {
    const line = `${detail} — ${formatDuration(Date.now() - detailSince)} (total ${formatDuration(Date.now() - t0)})`;
    if (tty) log.stream.write(`\r\x1b[2K[${step}] ${line}`);
    else log.info(`still working: ${line}`, step);
  };
  const timer = setInterval(render, every);
  timer.unref();
  return {
    update(d: string) {
      detail = d;
      detailSince = Date.now();
      if (tty) render();
    },
    done(summary?: string) {
      clearInterval(timer);
      if (tty) log.stream.write('\r\x1b[2K');
      if (summary) log.info(summary, step);
    },
  };
}
