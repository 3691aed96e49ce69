import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { setLongTimeout } from './timer.js';

describe('setLongTimeout', () => {
  it('waits for durations past 2^31 ms instead of firing at once', () => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'] });
    try {
      let fired = false;
      setLongTimeout(() => (fired = true), 597 * 3600_000);
      mock.timers.tick(2 ** 31);
      assert.equal(fired, false, 'fired before the deadline');
      mock.timers.tick(597 * 3600_000 - 2 ** 31 - 1);
      assert.equal(fired, false);
      mock.timers.tick(2);
      assert.equal(fired, true);
    } finally {
      mock.timers.reset();
    }
  });
  it('can be cleared', () => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'] });
    try {
      let fired = false;
      const t = setLongTimeout(() => (fired = true), 10);
      t.clear();
      mock.timers.tick(20);
      assert.equal(fired, false);
    } finally {
      mock.timers.reset();
    }
  });
});
