// The test command (README, .ci/run): builds the Go peers the integration tests use (cached under
// ~/.cache/kubetest), then runs every compiled test file with node's test runner.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv.slice(2);

if (!process.env.KUBETEST_SKIP_PEERS) {
  const peers = spawnSync('bash', [join(root, 'hack', 'build-peers.sh')], { stdio: 'inherit' });
  if (peers.status !== 0) {
    console.error('hack/build-peers.sh failed: the integration tests need the peers it builds');
    process.exit(1);
  }
}

function find(dir) {
  const out = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...find(p));
    else if (e.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const files = [...find(join(root, 'dist', 'src')), ...find(join(root, 'dist', 'test'))]
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
const r = spawnSync(
  process.execPath,
  ['--test', '--test-reporter=spec', `--test-concurrency=${process.env.KUBETEST_TEST_CONCURRENCY ?? 2}`, ...files],
  {
    stdio: 'inherit',
    env: { ...process.env, KUBETEST_REPO: root },
  },
);
process.exit(r.status ?? 1);
