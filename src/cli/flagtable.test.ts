import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { flagTableMarkdown } from './flagtable.js';
import { FLAGS } from './flags.js';
import { KUBETEST_VERSION } from '../version.js';

const repo = process.env['KUBETEST_REPO'] ?? join(import.meta.dirname, '..', '..', '..');

describe('README and package metadata', () => {
  it('README carries the current flag table', () => {
    const readme = readFileSync(join(repo, 'README.md'), 'utf8');
    const table = readme.slice(
      readme.indexOf('<!-- flags:start -->') + '<!-- flags:start -->'.length,
      readme.indexOf('<!-- flags:end -->'),
    );
    assert.equal(
      table.trim(),
      flagTableMarkdown().trim(),
      'run: node dist/src/cli/flagtable.js and paste it into README.md',
    );
  });
  it('kubetest-version follows package.json', () => {
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string };
    assert.equal(KUBETEST_VERSION, `v${pkg.version}`);
  });
  it('accepts every flag of the original kubetest --help', () => {
    // The names listed by the original binary's --help (../shared/anchors/kubetest-help.txt), all 170.
    const original = readFileSync(join(repo, 'test', 'fixtures', 'kubetest-flag-names.txt'), 'utf8')
      .split('\n')
      .filter(Boolean);
    assert.equal(original.length, 170);
    const ours = new Set(FLAGS.map((f) => f.name));
    assert.deepEqual(
      original.filter((n) => !ours.has(n)),
      [],
    );
  });
});
