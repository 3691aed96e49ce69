// kubetest --help and --dry-run=json (parse flags, build the plan, print JSON) vs `node -e 0`, in one run.
// Goal (#22): ≤ 1.5×. The executable is the bundle (dist/bin); the compiled tree (dist/src) is shown beside it.
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
for (const [name, args] of lines) {
  const r = await sideBySide([process.execPath, main, ...args], [process.execPath, '-e', '0'], runs, { cwd });
  const t = await sideBySide([process.execPath, tree, ...args], [process.execPath, '-e', '0'], runs, { cwd });
  const ours = median(r.a);
  const node = median(r.b);
  report(`startup: kubetest (${name}) vs node -e 0, median of ${runs}`, [
    ['kubetest (dist/bin, the bundle)', `${ours.toFixed(1)} ms`],
    ['node -e 0', `${node.toFixed(1)} ms`],
    ['ratio (goal <= 1.5)', `${(ours / node).toFixed(2)}x`],
    ['compiled tree (dist/src), ratio', `${(median(t.a) / median(t.b)).toFixed(2)}x`],
  ]);
}
