import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cacheLimits, pruneCache } from './cache-gc.js';
import { readKnobs } from './knobs.js';

const HOUR = 3600_000;
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function cache(): string {
  const d = mkdtempSync(join(tmpdir(), 'kubetest-gc-'));
  dirs.push(d);
  return d;
}

function at(path: string, ms: number): void {
  utimesSync(path, new Date(ms), new Date(ms));
}

function tree(c: string, key: string, usedMs: number): void {
  mkdirSync(join(c, 'trees', key, 'kubernetes'), { recursive: true });
  writeFileSync(join(c, 'trees', key, 'kubernetes', 'version'), 'v1.36.3\n');
  writeFileSync(join(c, 'trees', `${key}.json`), '{}');
  at(join(c, 'trees', `${key}.json`), usedMs);
}

function download(c: string, key: string, bytes: number, usedMs: number): void {
  mkdirSync(join(c, 'downloads', key), { recursive: true });
  writeFileSync(join(c, 'downloads', key, 'blob'), Buffer.alloc(bytes));
  writeFileSync(join(c, 'downloads', key, 'meta.json'), '{}');
  at(join(c, 'downloads', key, 'meta.json'), usedMs);
}

const key = (n: number) => n.toString(16).padStart(32, '0');

describe('extract cache pruning', () => {
  it('keeps the most recently used trees, removes the rest with their manifests and guesses', () => {
    const c = cache();
    const now = Date.now();
    for (let i = 1; i <= 5; i++) tree(c, key(i), now - i * HOUR);
    writeFileSync(join(c, 'trees', `${key(99)}.last`), key(5));
    writeFileSync(join(c, 'trees', `${key(98)}.last`), key(1));
    const removed = pruneCache(c, { keepTrees: 2, maxDownloadBytes: 1e9, minAgeMs: 60_000 }, now);
    assert.deepEqual(removed.sort(), [`trees/${key(3)}`, `trees/${key(4)}`, `trees/${key(5)}`]);
    assert.deepEqual(
      readdirSync(join(c, 'trees')).sort(),
      [key(1), `${key(1)}.json`, `${key(98)}.last`, key(2), `${key(2)}.json`].sort(),
    );
  });

  it('never removes what was used within the minimum age, even over the limit', () => {
    const c = cache();
    const now = Date.now();
    tree(c, key(1), now - 1000);
    tree(c, key(2), now - 2000);
    assert.deepEqual(pruneCache(c, { keepTrees: 0, maxDownloadBytes: 0, minAgeMs: 60_000 }, now), []);
    assert.ok(existsSync(join(c, 'trees', key(2), 'kubernetes', 'version')));
  });

  it('keeps downloads up to the byte limit, newest first', () => {
    const c = cache();
    const now = Date.now();
    download(c, 'sha512-a', 400, now - 1 * HOUR);
    download(c, 'sha512-b', 400, now - 2 * HOUR);
    download(c, 'sha512-c', 400, now - 3 * HOUR);
    assert.deepEqual(pruneCache(c, { keepTrees: 3, maxDownloadBytes: 900, minAgeMs: 60_000 }, now), [
      'downloads/sha512-c',
    ]);
    assert.deepEqual(readdirSync(join(c, 'downloads')).sort(), ['sha512-a', 'sha512-b']);
  });

  it('removes temp trees a crashed run left behind', () => {
    const c = cache();
    const now = Date.now();
    const tmp = join(c, 'trees', `${key(7)}.tmp-12345`);
    mkdirSync(join(tmp, 'kubernetes'), { recursive: true });
    at(tmp, now - HOUR);
    pruneCache(c, { keepTrees: 3, maxDownloadBytes: 1e9, minAgeMs: 60_000 }, now);
    assert.ok(!existsSync(tmp));
  });

  it('limits come from the environment knobs, with defaults', () => {
    assert.deepEqual(cacheLimits(readKnobs({})), { keepTrees: 3, maxDownloadBytes: 5e9, minAgeMs: 600_000 });
    assert.equal(
      cacheLimits(readKnobs({ KUBETEST_CACHE_KEEP_TREES: '1', KUBETEST_CACHE_MAX_DOWNLOAD_GB: '0.5' }))
        .maxDownloadBytes,
      5e8,
    );
    assert.throws(() => readKnobs({ KUBETEST_CACHE_KEEP_TREES: 'lots' }), /\$KUBETEST_CACHE_KEEP_TREES/);
  });
});
