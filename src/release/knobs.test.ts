import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KnobError, readKnobs } from './knobs.js';

describe('env knobs', () => {
  it('defaults', () => {
    assert.deepEqual(readKnobs({}), {
      downloadRetries: 4,
      stallTimeoutMs: 30_000,
      retryBackoffMs: undefined,
      extractMaxBytes: 8 * 2 ** 30,
      cacheKeepTrees: 3,
      cacheMaxDownloadGb: 5,
      progressIntervalMs: 30_000,
      leakSettleMs: 30_000,
    });
  });

  it('valid values; empty is unset', () => {
    const k = readKnobs({
      KUBETEST_DOWNLOAD_RETRIES: '0',
      KUBETEST_STALL_TIMEOUT_MS: '1500',
      KUBETEST_RETRY_BACKOFF_MS: '100',
      KUBETEST_EXTRACT_MAX_BYTES: '1048576',
      KUBETEST_CACHE_KEEP_TREES: '',
      KUBETEST_CACHE_MAX_DOWNLOAD_GB: '0.5',
      KUBETEST_PROGRESS_INTERVAL_MS: '1000',
    });
    assert.equal(k.downloadRetries, 0);
    assert.equal(k.stallTimeoutMs, 1500);
    assert.equal(k.retryBackoffMs, 100);
    assert.equal(k.extractMaxBytes, 1 << 20);
    assert.equal(k.cacheKeepTrees, 3);
    assert.equal(k.cacheMaxDownloadGb, 0.5);
    assert.equal(k.progressIntervalMs, 1000);
  });

  for (const [name, value] of [
    ['KUBETEST_DOWNLOAD_RETRIES', '-5'],
    ['KUBETEST_DOWNLOAD_RETRIES', '1e3'],
    ['KUBETEST_DOWNLOAD_RETRIES', '0x10'],
    ['KUBETEST_STALL_TIMEOUT_MS', 'abc'],
    ['KUBETEST_STALL_TIMEOUT_MS', '0'],
    ['KUBETEST_STALL_TIMEOUT_MS', String(2 ** 31)],
    ['KUBETEST_STALL_TIMEOUT_MS', 'Infinity'],
    ['KUBETEST_RETRY_BACKOFF_MS', '1.5'],
    ['KUBETEST_EXTRACT_MAX_BYTES', '8GiB'],
    ['KUBETEST_EXTRACT_MAX_BYTES', '0'],
    ['KUBETEST_CACHE_KEEP_TREES', 'lots'],
    ['KUBETEST_CACHE_MAX_DOWNLOAD_GB', '-1'],
    ['KUBETEST_PROGRESS_INTERVAL_MS', '10'],
  ]) {
    it(`${name}=${value} is refused, naming the variable`, () => {
      assert.throws(
        () => readKnobs({ [name!]: value }),
        (e: Error) => e instanceof KnobError && e.message.startsWith(`invalid value "${value}" for $${name}: want `),
      );
    });
  }
});
