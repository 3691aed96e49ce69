import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../test/helpers/tmp.js';
import { fileTail } from './files.js';

describe('fileTail', () => {
  it('returns the last lines, reading only the end of a big file', () => {
    const f = join(tempDir('tail'), 'big.log');
    writeFileSync(f, Array.from({ length: 200_000 }, (_, i) => `line ${i}`).join('\n') + '\n');
    assert.equal(fileTail(f, 2), 'line 199998\nline 199999');
    assert.equal(fileTail(f, 5, 20).split('\n').length <= 3, true, 'bounded by maxBytes');
  });
  it('says so when the log is missing', () => {
    assert.equal(fileTail('/nonexistent/x.log'), '(no log)');
  });
});
