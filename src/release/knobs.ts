// The numeric KUBETEST_* env knobs of release/ and storage/, read and validated once per run: a bad value is
// a usage error naming the variable (the CLI turns KnobError into exit 2), never NaN deep in a download.
export class KnobError extends Error {
  override name = 'KnobError';
}

export interface Knobs {
  /** KUBETEST_DOWNLOAD_RETRIES: retries per file (and per small read). */
  downloadRetries: number;
  /** KUBETEST_STALL_TIMEOUT_MS: a read with no data for this long fails (and is retried). */
  stallTimeoutMs: number;
  /** KUBETEST_RETRY_BACKOFF_MS: a fixed delay between retries instead of 1, 2, 4, 8 s (tests). */
  retryBackoffMs: number | undefined;
  /** KUBETEST_EXTRACT_MAX_BYTES: what all the tarballs of one extract may expand to. */
  extractMaxBytes: number;
  /** KUBETEST_CACHE_KEEP_TREES: extracted trees kept in the cache. */
  cacheKeepTrees: number;
  /** KUBETEST_CACHE_MAX_DOWNLOAD_GB: downloaded tarballs kept in the cache, in GB. */
  cacheMaxDownloadGb: number;
  /** KUBETEST_PROGRESS_INTERVAL_MS: how often e2e progress is logged when stderr is not a terminal. */
  progressIntervalMs: number;
  /** KUBETEST_LEAK_SETTLE_MS: the wait before the cloud "After" listing of --check-leaked-resources. */
  leakSettleMs: number;
}

/** Longest delay a Node timer takes (2^31-1 ms); longer ones fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function read(
  env: NodeJS.ProcessEnv,
  name: string,
  def: number,
  o: { min: number; max: number; integer: boolean; want: string },
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  const v = /^\s*[+]?(\d+(\.\d*)?|\.\d+)\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isFinite(v) || (o.integer && !Number.isInteger(v)) || v < o.min || v > o.max)
    throw new KnobError(`invalid value ${JSON.stringify(raw)} for $${name}: want ${o.want}`);
  return v;
}

export function readKnobs(env: NodeJS.ProcessEnv): Knobs {
  const int = (min: number, max: number, want: string) => ({ min, max, integer: true, want });
  return {
    downloadRetries: read(env, 'KUBETEST_DOWNLOAD_RETRIES', 4, int(0, 100, 'a whole number from 0 to 100')),
    stallTimeoutMs: read(
      env,
      'KUBETEST_STALL_TIMEOUT_MS',
      30_000,
      int(1, MAX_TIMER_MS, `milliseconds, a whole number from 1 to ${MAX_TIMER_MS}`),
    ),
    retryBackoffMs: env['KUBETEST_RETRY_BACKOFF_MS']
      ? read(env, 'KUBETEST_RETRY_BACKOFF_MS', 0, int(0, MAX_TIMER_MS, `milliseconds, from 0 to ${MAX_TIMER_MS}`))
      : undefined,
    extractMaxBytes: read(
      env,
      'KUBETEST_EXTRACT_MAX_BYTES',
      8 * 2 ** 30,
      int(1, Number.MAX_SAFE_INTEGER, 'a whole number of bytes (default 8589934592, 8 GiB)'),
    ),
    cacheKeepTrees: read(env, 'KUBETEST_CACHE_KEEP_TREES', 3, int(0, 1_000_000, 'a whole number of trees, 0 or more')),
    cacheMaxDownloadGb: read(env, 'KUBETEST_CACHE_MAX_DOWNLOAD_GB', 5, {
      min: 0,
      max: 1e9,
      integer: false,
      want: 'a number of GB, 0 or more',
    }),
    progressIntervalMs: read(
      env,
      'KUBETEST_PROGRESS_INTERVAL_MS',
      30_000,
      int(100, MAX_TIMER_MS, `milliseconds, a whole number from 100 to ${MAX_TIMER_MS}`),
    ),
    leakSettleMs: read(
      env,
      'KUBETEST_LEAK_SETTLE_MS',
      30_000,
      int(0, MAX_TIMER_MS, `milliseconds, a whole number from 0 to ${MAX_TIMER_MS}`),
    ),
  };
}
