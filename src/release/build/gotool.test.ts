import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../test/helpers/tmp.js';
import { existingPath, makeOnce } from './gotool.js';

describe('makeOnce', () => {
  it('runs that want the same entry at once make it once; the others get what it made', async () => {
    const out = join(tempDir('once'), 'thing');
    let made = 0;
    const make = async () => {
      made++;
      await new Promise((r) => setTimeout(r, 200));
      writeFileSync(out, `made ${made}`);
      return out;
    };
    const got = await Promise.all([1, 2, 3].map(() => makeOnce(out, existingPath(out), make)));
    assert.deepEqual(got, [out, out, out]);
    assert.equal(made, 1);
    assert.equal(readFileSync(out, 'utf8'), 'made 1');
    assert.ok(!existsSync(`${out}.lock`), 'the lock is released');
  });

  it('a cached entry is returned without the lock; a failed make leaves nothing to find', async () => {
    const out = join(tempDir('once'), 'thing');
    await assert.rejects(
      makeOnce(out, existingPath(out), async () => {
        throw new Error('build failed');
      }),
      /build failed/,
    );
    assert.ok(!existsSync(`${out}.lock`));
    writeFileSync(out, 'x');
    assert.equal(await makeOnce(out, existingPath(out), async () => assert.fail('made again')), out);
  });
});
