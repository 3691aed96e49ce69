import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseWrapperArgs } from './main.js';

describe('kubetest-e2e arguments (hack/e2e.go)', () => {
  it('own flags before --, kubetest flags after', () => {
    assert.deepEqual(parseWrapperArgs(['--get=false', '--old=1h', '-v=false', '--', '--up', '--test']), {
      get: false,
      oldMs: 3_600_000,
      verbose: false,
      rest: ['--up', '--test'],
    });
  });
  it('defaults: get, 24h, verbose', () => {
    assert.deepEqual(parseWrapperArgs(['--', '--down']), {
      get: true,
      oldMs: 86_400_000,
      verbose: true,
      rest: ['--down'],
    });
  });
  it('kubetest flags without -- are forwarded from the first unknown one', () => {
    assert.deepEqual(parseWrapperArgs(['-v=false', '--up', '--test_args=--ginkgo.focus=x', '--', '--down']).rest, [
      '--up',
      '--test_args=--ginkgo.focus=x',
      '--down',
    ]);
  });
  it('-h is a usage error', () => {
    assert.throws(() => parseWrapperArgs(['-h']), /usage: kubetest-e2e/);
  });
});
