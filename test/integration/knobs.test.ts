// KUBETEST_* numeric knobs: a bad value is a usage error (one line naming the variable, exit 2, nothing created).
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { BASE_ENV, runChild } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const BAD: Array<[string, string]> = [
  ['KUBETEST_DOWNLOAD_RETRIES', '-5'],
  ['KUBETEST_DOWNLOAD_RETRIES', '2.5'],
  ['KUBETEST_STALL_TIMEOUT_MS', 'abc'],
  ['KUBETEST_STALL_TIMEOUT_MS', '0'],
  ['KUBETEST_STALL_TIMEOUT_MS', '99999999999'],
  ['KUBETEST_RETRY_BACKOFF_MS', '-1'],
  ['KUBETEST_EXTRACT_MAX_BYTES', '8G'],
  ['KUBETEST_CACHE_KEEP_TREES', 'lots'],
  ['KUBETEST_CACHE_MAX_DOWNLOAD_GB', 'NaN'],
];

describe('env knobs', () => {
  for (const [name, value] of BAD) {
    it(`${name}=${value} is a usage error naming the variable`, async () => {
      const dir = tempDir('knobs');
      const r = await runChild(['--extract=ci/latest', '--deployment=none', '--dump=dump'], {
        cwd: dir,
        env: { ...BASE_ENV, KUBETEST_CACHE_DIR: tempDir('cache'), [name]: value },
      }).done;
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`^kubetest: invalid value "${value.replace('.', '\\.')}" for \\$${name}: `));
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.deepEqual(readdirSync(dir), [], 'nothing created');
    });
  }

  it('good values and empty ones (unset) are accepted', async () => {
    const dir = tempDir('knobs');
    const r = await runChild(['--extract=v1.36.3', '--deployment=none', '--dry-run=json'], {
      cwd: dir,
      env: {
        ...BASE_ENV,
        KUBETEST_DOWNLOAD_RETRIES: '0',
        KUBETEST_STALL_TIMEOUT_MS: '',
        KUBETEST_EXTRACT_MAX_BYTES: '1048576',
        KUBETEST_CACHE_MAX_DOWNLOAD_GB: '0.5',
      },
    }).done;
    assert.equal(r.code, 0, r.stderr);
  });
});
