import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { removeDeadLeftovers } from './leftovers.js';

const made: string[] = [];
after(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  return Number(r.stdout.trim());
}

describe('leftovers of killed runs', () => {
  it('removes the temp dirs and files of dead pids, keeps those of live ones and everything else', () => {
    const work = mkdtempSync(join(tmpdir(), 'kubetest-leftovers-'));
    made.push(work);
    const cache = join(work, 'cache');
    const dead = deadPid();
    const live = process.ppid; // the test runner: alive
    const paths = {
      deadExtract: join(work, `.kubetest-extract-${dead}`),
      liveExtract: join(work, `.kubetest-extract-${live}`),
      ownExtract: join(work, `.kubetest-extract-${process.pid}`),
      deadBlob: join(cache, 'downloads', 'k1', `blob.tmp-${dead}-2`),
      liveBlob: join(cache, 'downloads', 'k1', `blob.tmp-${live}-1`),
      blob: join(cache, 'downloads', 'k1', 'blob'),
      deadTree: join(cache, 'trees', `${'a'.repeat(32)}.tmp-${dead}`),
      liveTree: join(cache, 'trees', `${'b'.repeat(32)}.tmp-${live}`),
      kubernetes: join(work, 'kubernetes'),
    };
    for (const p of [paths.deadExtract, paths.liveExtract, paths.ownExtract, paths.deadTree, paths.liveTree])
      mkdirSync(join(p, 'x'), { recursive: true });
    mkdirSync(paths.kubernetes);
    mkdirSync(join(cache, 'downloads', 'k1'), { recursive: true });
    for (const p of [paths.deadBlob, paths.liveBlob, paths.blob]) writeFileSync(p, 'x');

    const removed = removeDeadLeftovers(work, cache).sort();
    assert.deepEqual(removed, [paths.deadExtract, paths.deadBlob, paths.deadTree].sort());
    for (const [k, p] of Object.entries(paths)) assert.equal(existsSync(p), !k.startsWith('dead'), k);
  });

  it('a missing work dir or cache is not an error', () => {
    assert.deepEqual(removeDeadLeftovers('/nonexistent/work', '/nonexistent/cache'), []);
  });
});
