// SkewTest/UpgradeTest run this very kubetest from kubernetes_skew/ (issue 24, item 3): each argument one
// argv element (kubetest joined them with spaces, §14.10), the report prefix, and this run's cluster.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCommandLine } from '../../src/cli/config.js';
import { SkewTester } from '../../src/testers/skew.js';

const cfg = (argv: string[]) => parseCommandLine(argv, { env: {}, cwd: '/w' });

describe('skew and upgrade testers', () => {
  it('--skew: each e2e argument is one --test-arg, spaces kept; prefix, report dir, no e2e log dump, --rundir', () => {
    const c = cfg([
      '--deployment=local',
      '--skew',
      '--test',
      '--check-version-skew=false',
      '--dump=/w/d',
      '--test_args=--ginkgo.focus=\\[sig-cli\\] --report-prefix=x',
      '--test-arg=--ginkgo.skip=a b',
    ]);
    const argv = new SkewTester(c, 'skew').argv();
    assert.deepEqual(argv.slice(2), [
      '--test',
      '--test-arg=--ginkgo.focus=\\[sig-cli\\]',
      '--test-arg=--report-prefix=x-skew',
      '--test-arg=--ginkgo.skip=a b',
      '--test-arg=--report-dir=/w/d',
      '--test-arg=--disable-log-dump=true',
      '--check-version-skew=false',
      '--deployment=local',
      '--rundir=/w/_rundir',
    ]);
    assert.match(argv[1]!, /(kubetest|cli\/main)\.js$/, 'this very kubetest, not one found on PATH');
  });

  it('--upgrade_args: split on whitespace as kubetest does, then one argument each', () => {
    const c = cfg([
      '--upgrade_args=--ginkgo.focus=\\[Feature:MasterUpgrade\\]  --upgrade-target=ci/latest',
      '--rundir=r',
    ]);
    assert.deepEqual(new SkewTester(c, 'upgrade').argv().slice(2), [
      '--test',
      '--test-arg=--ginkgo.focus=\\[Feature:MasterUpgrade\\]',
      '--test-arg=--upgrade-target=ci/latest',
      '--test-arg=--report-prefix=upgrade',
      '--check-version-skew=true',
      '--deployment=bash',
      '--rundir=/w/r',
    ]);
  });
});
