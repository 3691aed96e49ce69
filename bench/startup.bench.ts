// kubetest --help and --dry-run=json (parse flags, build the plan, print JSON) vs `node -e 0`, in one run.
// Goals: ≤ 1.5× (#22), ≤ 1.3× (#27). The executable is the bundle (dist/bin); the compiled tree (dist/src) is
// shown beside it. Wall time on a small VM swings by tens of percent from run to run, so where valgrind is
// installed the bench also counts the instructions each command executes (callgrind): the same on a busy
// machine as on an idle one.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, report, sideBySide } from './lib.js';

const main = join(import.meta.dirname, '..', 'bin', 'kubetest.js');
const tree = join(import.meta.dirname, '..', 'src', 'cli', 'main.js');
const cwd = mkdtempSync(join(tmpdir(), 'kubetest-bench-'));
const lines: Array<[string, string[]]> = [
  ['--help', ['--help']],
  [
    'gce CI job',
    [
      '--extract=ci/latest',
      '--provider=gce',
      '--gcp-project=p',
      '--gcp-zone=z',
      '--up',
      '--test',
      '--down',
      '--dump=/tmp/d',
      '--timeout=320m',
      '--test_args=--ginkgo.focus=\\[Conformance\\]',
      '--dry-run=json',
    ],
  ],
  [
    'local main job',
    [
      '--build=module',
      '--extract=local',
      '--deployment=local',
      '--provider=local',
      '--up',
      '--test',
      '--down',
      '--dump=_artifacts',
      '--dry-run=json',
    ],
  ],
];
const runs = Number(process.env['BENCH_RUNS'] ?? 20);

/** Instructions a command executes under callgrind, or undefined without valgrind. */
function instructions(argv: string[]): number | undefined {
  const r = spawnSync('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', ...argv], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const m = /Collected : (\d+)/.exec(r.stderr ?? '');
  return r.status === 0 && m ? Number(m[1]) : undefined;
}
const nodeInstructions = instructions([process.execPath, '-e', '0']);

for (const [name, args] of lines) {
  const r = await sideBySide([process.execPath, main, ...args], [process.execPath, '-e', '0'], runs, { cwd });
  const t = await sideBySide([process.execPath, tree, ...args], [process.execPath, '-e', '0'], runs, { cwd });
  const ours = median(r.a);
  const node = median(r.b);
  const ins = nodeInstructions === undefined ? undefined : instructions([process.execPath, main, ...args]);
  report(`startup: kubetest (${name}) vs node -e 0, median of ${runs}`, [
    ['kubetest (dist/bin, the bundle)', `${ours.toFixed(1)} ms`],
    ['node -e 0', `${node.toFixed(1)} ms`],
    ['ratio (goals <= 1.5, <= 1.3)', `${(ours / node).toFixed(2)}x`],
    ['compiled tree (dist/src), ratio', `${(median(t.a) / median(t.b)).toFixed(2)}x`],
    [
      'instructions, kubetest / node -e 0 (callgrind)',
      ins === undefined || nodeInstructions === undefined
        ? 'not measured (no valgrind)'
        : `${(ins / nodeInstructions).toFixed(2)}x (${(ins / 1e6).toFixed(0)} M / ${(nodeInstructions / 1e6).toFixed(0)} M)`,
    ],
  ]);
}
