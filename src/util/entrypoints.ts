// Where this program's own entry scripts are, to run one as a child: kubetest itself (--skew, kubetest-e2e),
// the kubelet nodes' forwarder daemon and the Boskos heartbeat. In the bundle (dist/bin, built by
// hack/bundle.mjs) every entry and chunk sits in one flat dir; in the compiled tree (dist/src) each entry is at
// its source path.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Defined (true) by hack/bundle.mjs; undeclared in the compiled tree. */
declare const KUBETEST_BUNDLE: boolean | undefined;

export type Entry = 'kubetest' | 'kubetest-e2e' | 'forwarder' | 'heartbeat';

const IN_TREE: Record<Entry, string> = {
  kubetest: 'cli/main.js',
  'kubetest-e2e': 'wrapper/bin.js',
  forwarder: 'deployers/local/nodes/kubelet/forwarder-main.js',
  heartbeat: 'boskos/heartbeat-main.js',
};

export function entryScript(name: Entry): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return typeof KUBETEST_BUNDLE !== 'undefined' && KUBETEST_BUNDLE
    ? join(here, `${name}.js`)
    : join(here, '..', IN_TREE[name]);
}
