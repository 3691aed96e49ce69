// The original Go kubetest, unpacked from ../shared/anchors/kubetest.xz into the cache, keyed by the
// archive's sha256. A missing anchor is an error, never a skip: the differential suite is the proof.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, openSync, closeSync, readFileSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO } from '../helpers/cli.js';

export function anchorsDir(): string {
  return process.env['KUBETEST_ANCHORS'] || resolve(REPO, '..', 'shared', 'anchors');
}

export function cacheRoot(): string {
  return process.env['KUBETEST_CACHE_DIR'] || join(homedir(), '.cache', 'kubetest');
}

/** Path of the unpacked original kubetest; throws with what to do when the anchor is absent. */
export function originalKubetest(): string {
  const xz = join(anchorsDir(), 'kubetest.xz');
  if (!existsSync(xz)) {
    throw new Error(
      `the original kubetest is missing: ${xz} does not exist. The differential suite needs it ` +
        '(set KUBETEST_ANCHORS to the directory holding kubetest.xz); it is never skipped.',
    );
  }
  const sha = createHash('sha256').update(readFileSync(xz)).digest('hex');
  const dir = join(cacheRoot(), 'anchors', sha);
  const bin = join(dir, 'kubetest-go');
  if (existsSync(bin)) return bin;
  mkdirSync(dir, { recursive: true });
  const tmp = `${bin}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o755);
  const r = spawnSync('xz', ['-dc', xz], { stdio: ['ignore', fd, 'pipe'] });
  closeSync(fd);
  if (r.status !== 0) throw new Error(`xz -dc ${xz} failed: ${r.error?.message ?? r.stderr.toString()}`);
  chmodSync(tmp, 0o755);
  renameSync(tmp, bin);
  return bin;
}
