// --check-version-skew's rule and message (issue 24, item 2); the integration test runs it with two releases.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kubectlFromEnv, skewBetween } from './version-skew.js';

describe('version skew', () => {
  const v = (gitVersion: string, gitCommit = 'abc', gitTreeState = 'clean') => ({
    gitVersion,
    gitCommit,
    gitTreeState,
  });

  it("is kubectl's rule: version, commit and tree state all equal", () => {
    assert.equal(skewBetween(v('v1.36.3'), v('v1.36.3')), undefined);
    assert.equal(skewBetween(v('v1.35.4'), v('v1.36.3')), 'kubectl v1.35.4 and the server v1.36.3 differ');
    assert.equal(
      skewBetween(v('v1.36.3', 'abc'), v('v1.36.3', 'def', 'dirty')),
      'kubectl v1.36.3 (commit abc, clean) and the server v1.36.3 (commit def, dirty) differ',
    );
  });

  it('takes kubectl from $KUBECTL as kubetest exports it, without --match-server-version', () => {
    assert.deepEqual(kubectlFromEnv({ KUBECTL: '/r/kubectl --kubeconfig=/k --match-server-version' }), [
      '/r/kubectl',
      '--kubeconfig=/k',
    ]);
    assert.deepEqual(kubectlFromEnv({}), []);
  });
});
