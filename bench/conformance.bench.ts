// The full conformance suite on one machine (#23): `kubetest --deployment=local --local-node-type=kubelet
// --local-nodes=2 --up --test --down` with `--ginkgo.focus=\[Conformance\]` and ginkgo parallel nodes ([Serial]
// specs run at the end on one process, as ginkgo does upstream). Prints wall time, passed / failed / skipped,
// the host's peak memory in use (sampled every 2 s, above what was in use before), and every failed spec with
// the first line of its failure. About an hour on 2 cores: `npm run bench -- conformance` (not in the default
// set). BENCH_GINKGO_NODES (default 6), BENCH_KEEP=1 keeps the work dir.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readE2eJunit } from '../src/report/e2e-junit.js';
import { peers } from '../test/helpers/peers.js';
import { report, timeCommand } from './lib.js';

function memInUseKiB(): number {
  const m = readFileSync('/proc/meminfo', 'utf8');
  const kib = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(m)![1]);
  return kib('MemTotal') - kib('MemAvailable');
}

const main = join(import.meta.dirname, '..', 'bin', 'kubetest.js');
const p = peers();
const nodes = Number(process.env['BENCH_GINKGO_NODES'] ?? 6);
const work = mkdtempSync(join(tmpdir(), 'kubetest-bench-conformance-'));
const env = { ...process.env, KUBETEST_CACHE_DIR: p.cacheDir };
await timeCommand([process.execPath, main, `--extract=file://${p.release.dir}`, '--deployment=none'], {
  cwd: work,
  env,
});

const before = memInUseKiB();
let peak = before;
const sampler = setInterval(() => (peak = Math.max(peak, memInUseKiB())), 2000);
const t0 = Date.now();
const argv = [
  process.execPath,
  main,
  '--deployment=local',
  '--local-node-type=kubelet',
  '--local-nodes=2',
  '--up',
  '--test',
  '--down',
  `--ginkgo-parallel=${nodes}`,
  '--timeout=170m',
  '--dump=_artifacts',
  '--verbose-commands=false',
  '--test_args=--ginkgo.focus=\\[Conformance\\]',
];
const code = await new Promise<number | null>((resolve) => {
  const child = spawn(argv[0]!, argv.slice(1), { cwd: work, env, stdio: ['ignore', 'inherit', 'inherit'] });
  child.once('close', resolve);
});
clearInterval(sampler);
const wallMs = Date.now() - t0;

// The junit lists every spec of the suite: the ones not focused are "skipped" too.
const cases = readE2eJunit(join(work, '_artifacts', 'junit_01.xml')).filter(
  (c) => !c.suiteNode && c.name.includes('[Conformance]'),
);
const count = (s: string) => cases.filter((c) => c.status === s).length;
const failed = cases.filter((c) => c.status === 'failed');
report(`full conformance on 2 kubelet nodes, ginkgo --nodes=${nodes} (kubetest exit ${code})`, [
  ['wall time (up + test + down)', `${(wallMs / 60_000).toFixed(1)} min`],
  ['specs passed / failed / skipped', `${count('passed')} / ${failed.length} / ${count('skipped')}`],
  ['peak host memory in use above the start', `${((peak - before) / 1024 / 1024).toFixed(1)} GiB`],
]);
for (const f of failed) console.log(`  FAILED ${f.name}\n         ${(f.message ?? '').split('\n')[0]!.slice(0, 300)}`);
writeFileSync(
  join(tmpdir(), 'kubetest-bench-conformance.json'),
  JSON.stringify({ wallMs, code, nodes, passed: count('passed'), skipped: count('skipped'), failed, peak, before }),
);
if (!process.env['BENCH_KEEP']) rmSync(work, { recursive: true, force: true });
else console.log(`work dir kept: ${work}`);
