import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatGoDuration, parseGoDuration } from './duration.js';

describe('Go durations', () => {
  const ok: Array<[string, number]> = [
    ['0', 0],
    ['0s', 0],
    ['90s', 90_000],
    ['320m', 320 * 60_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['500ms', 500],
    ['2h45m30.5s', 9_930_500],
    ['-1m', -60_000],
    ['+5s', 5000],
    ['1us', 0.001],
    ['1µs', 0.001],
    ['3ns', 3e-6],
  ];
  for (const [s, ms] of ok) it(`parses ${s}`, () => assert.equal(parseGoDuration(s), ms));
  const bad: Array<[string, RegExp]> = [
    ['abc', /invalid duration "abc"/],
    ['10', /missing unit in duration "10"/],
    ['5d', /unknown unit "d" in duration "5d"/],
    ['', /invalid duration ""/],
    ['1h 30m', /unknown unit "h " in duration/],
    ['.s', /invalid duration/],
  ];
  for (const [s, re] of bad) it(`rejects ${JSON.stringify(s)}`, () => assert.throws(() => parseGoDuration(s), re));
  it('formats like Duration.String', () => {
    assert.equal(formatGoDuration(0), '0s');
    assert.equal(formatGoDuration(300_000), '5m0s');
    assert.equal(formatGoDuration(168 * 3600_000), '168h0m0s');
    assert.equal(formatGoDuration(1500), '1.5s');
    assert.equal(formatGoDuration(5_400_000), '1h30m0s');
    assert.equal(formatGoDuration(0.5), '500µs');
  });
});
