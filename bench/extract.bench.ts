// Extract of the module-built release from a loopback HTTP server: kubetest --extract (parallel downloads,
// checksums, safe untar, cache) vs `curl | tar xz` of the same files, in the same run; then a warm-cache
// extract. Goals: cold throughput >= 0.9x curl|tar; warm <= 0.05x of cold.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { peers } from '../test/helpers/peers.js';
import { startFileServer } from '../test/helpers/servers.js';
import { median, report, timeCommand } from './lib.js';

const main = join(import.meta.dirname, '..', 'bin', 'kubetest.js');
const rel = peers().release;
const root = join(rel.dir, '..', '..');
const server = await startFileServer(root);
const base = `${server.url}/gcs-stage/${rel.version}`;
const files = readdirSync(rel.dir).filter(
  (f) =>
    /^kubernetes(-server|-client|-test|-etcd)?(-linux-amd64)?(-portable)?\.tar\.gz$/.test(f) &&
    f !== 'kubernetes-src.tar.gz',
);
const bytes = files.reduce((s, f) => s + statSync(join(rel.dir, f)).size, 0);
// Each measured command starts with no dirty pages left by the previous one (its writeback would otherwise
// stall the next command's metadata operations: a warm extract is mostly links and mkdirs).
const settle = () => spawnSync('sync');
const runs = Number(process.env['BENCH_RUNS'] ?? 3);
const curlTimes: number[] = [];
const coldTimes: number[] = [];
const warmTimes: number[] = [];
try {
  const warmCache = mkdtempSync(join(tmpdir(), 'kubetest-bench-cache-'));
  for (let i = 0; i < runs; i++) {
    const d1 = mkdtempSync(join(tmpdir(), 'kubetest-bench-curl-'));
    const script = files.map((f) => `curl -sf ${base}/${f} | tar xz -C ${d1}/out`).join(' && ');
    mkdirSync(join(d1, 'out'));
    settle();
    curlTimes.push(await timeCommand(['bash', '-o', 'pipefail', '-c', script]));
    rmSync(d1, { recursive: true, force: true });

    const d2 = mkdtempSync(join(tmpdir(), 'kubetest-bench-ours-'));
    const cache = mkdtempSync(join(tmpdir(), 'kubetest-bench-cache-'));
    settle();
    coldTimes.push(
      await timeCommand(
        [process.execPath, main, `--extract=${base}`, '--deployment=none', '--verbose-commands=false'],
        { cwd: d2, env: { ...process.env, KUBETEST_CACHE_DIR: cache } },
      ),
    );
    rmSync(d2, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });

    const d3 = mkdtempSync(join(tmpdir(), 'kubetest-bench-warm-'));
    if (i === 0)
      await timeCommand([process.execPath, main, `--extract=${base}`, '--deployment=none'], {
        cwd: d3,
        env: { ...process.env, KUBETEST_CACHE_DIR: warmCache },
      });
    rmSync(join(d3, 'kubernetes'), { recursive: true, force: true });
    settle();
    warmTimes.push(
      await timeCommand([process.execPath, main, `--extract=${base}`, '--deployment=none'], {
        cwd: d3,
        env: { ...process.env, KUBETEST_CACHE_DIR: warmCache },
      }),
    );
    rmSync(d3, { recursive: true, force: true });
  }
  rmSync(warmCache, { recursive: true, force: true });
  const mbps = (ms: number) => (bytes / 1e6 / (ms / 1000)).toFixed(0);
  const c = median(curlTimes);
  const o = median(coldTimes);
  const w = median(warmTimes);
  report(
    `extract ${rel.version} (${files.length} tarballs, ${(bytes / 1e6).toFixed(0)} MB) from a loopback server, median of ${runs}`,
    [
      ['curl | tar xz (sequential, no checks)', `${(c / 1000).toFixed(2)} s (${mbps(c)} MB/s)`],
      ['kubetest --extract, cold cache', `${(o / 1000).toFixed(2)} s (${mbps(o)} MB/s)`],
      ['throughput ratio ours/curl (goal >= 0.9)', `${(c / o).toFixed(2)}x`],
      ['kubetest --extract, warm cache', `${(w / 1000).toFixed(2)} s`],
      ['warm/cold (goal <= 0.05)', `${(w / o).toFixed(3)}x`],
    ],
  );
  console.log('  (kubetest times include node startup and verifying every .sha512; curl|tar verifies nothing)');
} finally {
  await server.stop();
}
