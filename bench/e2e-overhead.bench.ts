// e2e overhead (#24, #27): the README's focus through `kubetest --test` vs bare `ginkgo --nodes=N e2e.test`
// on the same running local cluster, alternating, median of BENCH_RUNS. The specs' own time varies by a minute
// from run to run (random order, waits inside specs), so each run's overhead is its wall time minus the time
// ginkgo reports for the suite ("Ginkgo ran 1 suite in …"): for kubetest that is everything it adds (its steps
// before the tests, the wrapper script, the version probe, reports). Goal: ≤ bare + 5 s (#24), ≤ 2 s (#27).
// A second, larger focus with more ginkgo nodes when BENCH_LARGE=1 (BENCH_LARGE=only: that one alone).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { peers } from '../test/helpers/peers.js';
import { readmeMainJobArgs } from '../test/helpers/readme.js';
import { median, report, timeCommand } from './lib.js';

/** "Ginkgo ran 1 suite in 6m17.58s" → ms. */
export function ginkgoSuiteMs(text: string): number {
  const m = /Ginkgo ran \d+ suites? in (?:(\d+)h)?(?:(\d+)m)?([\d.]+)s/.exec(text);
  if (!m) throw new Error('no "Ginkgo ran … in" line');
  return ((Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60 + Number(m[3])) * 1000;
}

/** Wall time and output of a command. */
function run(argv: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ ms: number; out: string }> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(argv[0]!, argv.slice(1), { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0
        ? resolve({ ms: Number(process.hrtime.bigint() - t0) / 1e6, out })
        : reject(new Error(out.slice(-2000))),
    );
  });
}

/** The newest Test step log of kubetest in the work dir. */
function lastTestLog(work: string): string {
  const steps = join(work, '_rundir', 'kubetest-steps');
  const dir = readdirSync(steps).sort().pop()!;
  const f = readdirSync(join(steps, dir)).find((x) => x.endsWith('-Test.log'))!;
  return readFileSync(join(steps, dir, f), 'utf8');
}

const main = join(import.meta.dirname, '..', 'bin', 'kubetest.js');
const p = peers();
const runs = Number(process.env['BENCH_RUNS'] ?? 3);
const work = mkdtempSync(join(tmpdir(), 'kubetest-bench-e2e-'));
const env = { ...process.env, KUBETEST_CACHE_DIR: p.cacheDir };
const quiet = { cwd: work, env };
await timeCommand([process.execPath, main, `--extract=file://${p.release.dir}`, '--deployment=none'], quiet);
await timeCommand([process.execPath, main, '--deployment=local', '--provider=local', '--up'], quiet);

const k = join(work, 'kubernetes', 'platforms', 'linux', 'amd64');
const kubeconfig = join(work, '_rundir', 'local', 'local', 'admin.kubeconfig');
const readmeFocus = readmeMainJobArgs()
  .find((a) => a.startsWith('--test_args='))!
  .slice('--test_args='.length)
  .split(/\s+/);
const focuses: Array<[string, string[], number]> = [];
if (process.env['BENCH_LARGE'] !== 'only') focuses.push(["the README's focus", readmeFocus, 4]);
// kwok nodes run no containers: the webhook, conversion-webhook, field-selector and aggregator specs need a
// server pod, so they are left out (on kubelet nodes they pass: bench/conformance.bench.ts).
if (process.env['BENCH_LARGE'])
  focuses.push([
    'API [Conformance] specs that need no running pod',
    [
      '--ginkgo.focus=\\[sig-api-machinery\\].*\\[Conformance\\]',
      '--ginkgo.skip=AdmissionWebhook|CustomResourceConversionWebhook|CustomResourceFieldSelectors|Aggregator',
    ],
    8,
  ]);

try {
  for (const [name, args, nodes] of focuses) {
    const ours = { wall: [] as number[], over: [] as number[] };
    const bare = { wall: [] as number[], over: [] as number[] };
    for (let i = 0; i < runs; i++) {
      const o = await run(
        [
          process.execPath,
          main,
          '--deployment=local',
          '--provider=local',
          '--test',
          `--ginkgo-parallel=${nodes}`,
          '--verbose-commands=false',
          `--test_args=${args.join(' ')}`,
        ],
        quiet,
      );
      ours.wall.push(o.ms);
      ours.over.push(o.ms - ginkgoSuiteMs(lastTestLog(work)));
      const b = await run(
        [
          join(k, 'ginkgo'),
          `--nodes=${nodes}`,
          '--no-color',
          join(k, 'e2e.test'),
          '--',
          `--kubeconfig=${kubeconfig}`,
          '--provider=local',
          `--repo-root=${join(work, 'kubernetes')}`,
          ...args,
        ],
        quiet,
      );
      bare.wall.push(b.ms);
      bare.over.push(b.ms - ginkgoSuiteMs(b.out));
    }
    const s = (xs: number[]) => `${(median(xs) / 1000).toFixed(1)} s (min ${(Math.min(...xs) / 1000).toFixed(1)})`;
    report(`e2e overhead: ${name}, ginkgo --nodes=${nodes}, median of ${runs}, alternating`, [
      ['kubetest --deployment=local --test: wall', s(ours.wall)],
      ['bare ginkgo e2e.test: wall', s(bare.wall)],
      ['kubetest: wall minus ginkgo suite time (goal <= 2 s)', s(ours.over)],
      ['bare: wall minus ginkgo suite time', s(bare.over)],
      [
        'kubetest over bare, outside the specs (goal <= 5 s)',
        `${((median(ours.over) - median(bare.over)) / 1000).toFixed(1)} s`,
      ],
    ]);
  }
} finally {
  await timeCommand([process.execPath, main, '--deployment=local', '--down'], quiet);
}
