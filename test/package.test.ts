// What `npm pack` ships (issue 22, item 12): the program, never its compiled tests.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { REPO } from './helpers/cli.js';

describe('npm pack', () => {
  it('ships dist/bin, dist/src and hack/ without a single *.test.js', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: REPO,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const files = (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
    assert.deepEqual(
      files.filter((f) => /\.test\.(js|d\.ts)(\.map)?$/.test(f)),
      [],
    );
    assert.ok(files.includes('dist/bin/kubetest.js'));
    assert.ok(files.includes('dist/bin/kubetest-e2e.js'));
    assert.ok(files.includes('dist/bin/forwarder.js'));
    assert.ok(files.some((f) => f.startsWith('hack/')));
  });
});
