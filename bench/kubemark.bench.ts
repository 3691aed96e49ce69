// Hollow nodes (#24): `--local-node-type=kubemark --local-nodes=N --up` (the real kubemark: a hollow kubelet
// and a hollow kube-proxy per node) vs kwok nodes of the same count, side by side: time to N Ready nodes, the
// memory of everything the cluster runs (RSS summed), a scheduling spec of upstream e2e on it, and down.
// BENCH_KUBEMARK_COUNTS=50,100,200 (default 50); a count stops the series when Up fails or memory runs short.
import { mkdtempSync, readFileSync } from 'node:fs';
import { freemem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { processesUnder } from '../src/process/proctable.js';
import { peers } from '../test/helpers/peers.js';
import { report, timeCommand } from './lib.js';

const main = join(import.meta.dirname, '..', 'bin', 'kubetest.js');
const p = peers();
const counts = (process.env['BENCH_KUBEMARK_COUNTS'] ?? '50').split(',').map(Number);
const work = mkdtempSync(join(tmpdir(), 'kubetest-bench-kubemark-'));
const env = { ...process.env, KUBETEST_CACHE_DIR: p.cacheDir };
const quiet = { cwd: work, env };
const SPEC =
  '--ginkgo.focus=\\[sig-scheduling\\]\\sSchedulerPredicates\\s\\[Serial\\]\\svalidates\\sthat\\sNodeSelector\\sis\\s' +
  'respected\\sif\\smatching';
await timeCommand([process.execPath, main, `--extract=file://${p.release.dir}`, '--deployment=none'], quiet);

/** RSS of every process of the cluster (the daemons and what they started), in MB. */
function clusterRssMb(): number {
  let kb = 0;
  for (const proc of processesUnder(join(work, '_rundir', 'local', 'local'))) {
    try {
      kb += Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${proc.pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // gone
    }
  }
  return kb / 1024;
}

/** MemAvailable of the machine, in MB (RSS counts the kubemark binary's shared pages once per process). */
function availableMb(): number {
  return Number(/^MemAvailable:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0) / 1024;
}

const kubetest = (...args: string[]) => [process.execPath, main, '--deployment=local', '--provider=local', ...args];
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
for (const n of counts) {
  const rows: Array<[string, string]> = [];
  for (const type of ['kwok', 'kubemark']) {
    const nodes = [`--local-node-type=${type}`, `--local-nodes=${n}`, '--local-up-timeout=15m'];
    let up: number;
    const availableBefore = availableMb();
    try {
      up = await timeCommand(kubetest(...nodes, '--up', '--verbose-commands=false'), quiet);
    } catch (e) {
      rows.push([`${type}: up`, `failed (${(e as Error).message.split('\n')[0]})`]);
      await timeCommand(kubetest('--down'), quiet).catch(() => undefined);
      continue;
    }
    await new Promise((r) => setTimeout(r, 10_000)); // settled: heartbeats, not start-up
    const rss = clusterRssMb();
    const used = availableBefore - availableMb();
    const test = await timeCommand(kubetest('--test', `--test_args=${SPEC}`, '--verbose-commands=false'), quiet).then(
      (ms) => s(ms),
      () => 'failed',
    );
    const down = await timeCommand(kubetest('--down'), quiet);
    rows.push(
      [`${type}: up to ${n} Ready nodes`, s(up)],
      [`${type}: memory of the cluster (RSS)`, `${rss.toFixed(0)} MB (${(rss / n).toFixed(1)} MB per node)`],
      [`${type}: machine memory used (MemAvailable)`, `${used.toFixed(0)} MB (${(used / n).toFixed(1)} MB per node)`],
      [`${type}: NodeSelector spec (kubetest --test)`, test],
      [`${type}: down`, s(down)],
    );
  }
  report(
    `hollow nodes: ${n} kubemark vs ${n} kwok nodes (free memory now ${(freemem() / 2 ** 30).toFixed(1)} GiB)`,
    rows,
  );
}
