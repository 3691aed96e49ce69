// e2e overhead (#24, #27): the README's focus through `kubetest --test` vs bare `ginkgo --nodes=N e2e.test`
// on the same running local cluster, alternating, median of BENCH_RUNS; the difference is what kubetest adds
// (its steps before the tests, the wrapper script, the version probe, reports). Goal: ≤ bare + 5 s (#24),
// ≤ 2 s (#27). A second, larger focus with more ginkgo nodes when BENCH_LARGE=1.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { peers } from '../test/helpers/peers.js';
import { readmeMainJobArgs } from '../test/helpers/readme.js';
import { median, report, timeCommand } from './lib.js';

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
const focuses: Array<[string, string[], number]> = [["the README's focus", readmeFocus, 4]];
if (process.env['BENCH_LARGE'])
  focuses.push(['API [Conformance] specs', ['--ginkgo.focus=\\[sig-api-machinery\\].*\\[Conformance\\]'], 8]);

try {
  for (const [name, args, nodes] of focuses) {
    const ours: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < runs; i++) {
      ours.push(
        await timeCommand(
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
        ),
      );
      bare.push(
        await timeCommand(
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
        ),
      );
    }
    const s = (xs: number[]) => `${(median(xs) / 1000).toFixed(1)} s (min ${(Math.min(...xs) / 1000).toFixed(1)})`;
    report(`e2e overhead: ${name}, ginkgo --nodes=${nodes}, median of ${runs}, alternating`, [
      ['kubetest --deployment=local --test', s(ours)],
      ['bare ginkgo e2e.test', s(bare)],
      ['overhead (goal <= 5 s, #27: <= 2 s)', `${((median(ours) - median(bare)) / 1000).toFixed(1)} s`],
    ]);
  }
} finally {
  await timeCommand([process.execPath, main, '--deployment=local', '--down'], quiet);
}
