// The README's two commands are the ones the project runs: .ci/run runs the second, the main-job
// integration test runs the first (test/integration/local-cluster.test.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readmeCommands, readmeMainJobArgs, shellWords } from './helpers/readme.js';

const repo = new URL('../..', import.meta.url).pathname;

describe("README's two commands", () => {
  it('.ci/run runs exactly the test command', () => {
    const [, test] = readmeCommands();
    const ci = readFileSync(join(repo, '.ci', 'run'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#') && !/^(set|cd) /.test(l));
    assert.deepEqual(ci, [test]);
  });

  it('the main job installs, builds, and runs the embedded default with a focused e2e run', () => {
    const [main] = readmeCommands();
    assert.match(main, /^npm ci && npm run build && node dist\/bin\/kubetest\.js /);
    const args = readmeMainJobArgs();
    for (const a of ['--build=module', '--extract=local', '--deployment=local', '--up', '--test', '--down'])
      assert.ok(args.includes(a), a);
    const testArgs = args.find((a) => a.startsWith('--test_args='))!;
    assert.match(testArgs, /^--test_args=--ginkgo\.focus=\\\[sig-api-machinery\\\]\\s\(CustomResourceDefinition/);
    assert.match(testArgs, / --ginkgo\.label-filter=Conformance$/);
  });

  it('shell words: quotes and escapes as sh splits them', () => {
    assert.deepEqual(shellWords(`a 'b c' "d \\"e\\"" f\\ g --x='\\s' && b`), [
      'a',
      'b c',
      'd "e"',
      'f g',
      '--x=\\s',
      'b',
    ]);
  });
});
