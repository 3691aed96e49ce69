// --upload in the CLI: the build log tee (stderr and <rundir>/build-log.txt) and the upload after the closing
// summary, bounded in time; a failed upload is one line and exit 1, never a hang.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { RunConfig } from '../run/config.js';
import type { RunContext } from '../run/context.js';

const UPLOAD_BUDGET_MS = 5 * 60_000;

export function teeBuildLog(cfg: RunConfig, stderr: NodeJS.WritableStream): { stream: Writable; file: string } {
  mkdirSync(cfg.runDir, { recursive: true });
  const file = join(cfg.runDir, 'build-log.txt');
  const fd = openSync(file, 'w', 0o644);
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      stderr.write(chunk);
      try {
        if (typeof chunk === 'string') writeSync(fd, chunk);
        else writeSync(fd, chunk);
      } catch {
        // a full disk loses the copy, not the run
      }
      cb();
    },
    final(cb) {
      closeSync(fd);
      cb();
    },
  });
  return { stream, file };
}

export async function uploadArtifacts(ctx: RunContext, buildLog: string, stderr: NodeJS.WritableStream) {
  const { uploadToProw, prowPaths } = await import('../report/prow-upload.js');
  const { cfg } = ctx;
  const root = prowPaths(cfg.upload, ctx.env).root;
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not done after ${UPLOAD_BUDGET_MS / 1000}s`)), UPLOAD_BUDGET_MS);
  });
  try {
    const done = await Promise.race([
      uploadToProw({ url: cfg.upload, env: ctx.env, artifactsDir: cfg.artifacts || cfg.dump, buildLog }),
      budget,
    ]);
    stderr.write(`kubetest: uploaded ${done.uploaded.length} files to ${root}\n`);
    if (done.skipped.length) {
      const shown = done.skipped
        .slice(0, 5)
        .map((n) => JSON.stringify(n))
        .join(', ');
      const more = done.skipped.length > 5 ? ', …' : '';
      stderr.write(`kubetest: not uploaded (names unsafe in a URL): ${shown}${more}\n`);
    }
    return true;
  } catch (e) {
    stderr.write(`kubetest: --upload to ${root} failed: ${(e as Error).message.split('\n')[0]}\n`);
    return false;
  } finally {
    clearTimeout(timer);
  }
}
