// Download progress: a live multi-line view with bytes and speed on a TTY, a line every 10 s otherwise.
import type cliProgressType from 'cli-progress';
import { createRequire } from 'node:module';
import type { Logger } from '../run/logger.js';

export class DownloadProgress {
  private readonly tty: boolean;
  private multi: cliProgressType.MultiBar | undefined;
  private readonly bars = new Map<string, cliProgressType.SingleBar>();
  private readonly state = new Map<string, { bytes: number; total?: number | undefined }>();
  private readonly t0 = Date.now();
  private lastLine = Date.now();

  constructor(
    private readonly log: Logger,
    private readonly step: string,
  ) {
    this.tty = Boolean((log.stream as NodeJS.WriteStream).isTTY);
  }

  update(name: string, bytes: number, total: number | undefined): void {
    this.state.set(name, { bytes, total });
    if (this.tty) {
      // Loaded only when there is a terminal to draw on.
      const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof cliProgressType;
      this.multi ??= new cliProgress.MultiBar(
        {
          format: ' {bar} {percentage}% | {value}/{total} MB | {speed} MB/s | {name}',
          hideCursor: true,
          clearOnComplete: true,
          stream: this.log.stream as NodeJS.WriteStream,
        },
        cliProgress.Presets.shades_classic,
      );
      let bar = this.bars.get(name);
      const mb = (n: number) => Math.round(n / 1e5) / 10;
      if (!bar) {
        bar = this.multi.create(mb(total ?? bytes), 0, { name, speed: 0 });
        this.bars.set(name, bar);
      }
      if (total === undefined) bar.setTotal(mb(bytes));
      bar.update(mb(bytes), { name, speed: (mb(bytes) / Math.max(0.001, (Date.now() - this.t0) / 1000)).toFixed(1) });
    } else if (Date.now() - this.lastLine > 10_000) {
      this.lastLine = Date.now();
      let sum = 0;
      let of = 0;
      for (const s of this.state.values()) {
        sum += s.bytes;
        of += s.total ?? s.bytes;
      }
      const secs = (Date.now() - this.t0) / 1000;
      this.log.info(
        `downloaded ${(sum / 1e6).toFixed(0)} of ${(of / 1e6).toFixed(0)} MB (${(sum / 1e6 / secs).toFixed(1)} MB/s)`,
        this.step,
      );
    }
  }

  done(): void {
    this.multi?.stop();
    this.multi = undefined;
  }
}
