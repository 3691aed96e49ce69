import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../test/helpers/tmp.js';
import { readProc } from './proctable.js';
import { acquirePidLock, LockHeld } from './pidlock.js';

describe('pid lock', () => {
  it('one holder at a time; released on release', () => {
    const f = join(tempDir('lock'), 'x.lock');
    const release = acquirePidLock(f);
    assert.ok(existsSync(f));
    release();
    assert.ok(!existsSync(f));
    acquirePidLock(f)();
  });

  it('a live holder is named', async () => {
    const f = join(tempDir('lock'), 'x.lock');
    const child = spawn('sleep', ['30']);
    try {
      await new Promise((r) => setTimeout(r, 50));
      writeFileSync(f, `${child.pid} ${readProc(child.pid!)!.startTime}\n`);
      assert.throws(
        () => acquirePidLock(f),
        (e: unknown) => e instanceof LockHeld && e.holder === child.pid,
      );
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('a dead holder, a reused pid or a torn file is taken over', () => {
    const dir = tempDir('lock');
    for (const content of ['999999999 1\n', `${process.pid} 1\n`, 'garbage']) {
      const f = join(dir, 'x.lock');
      writeFileSync(f, content);
      acquirePidLock(f)();
    }
  });
});
