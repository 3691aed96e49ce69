import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countLines, formatListing, leaked, parseListing } from './snapshot.js';

const before = `[ compute instances ]
NAME  ZONE
vm-1  us-central1-b
[ compute disks ]
disk-1   10
`;

describe('leak listings', () => {
  it('parses groups and round-trips', () => {
    const l = parseListing(before);
    assert.deepEqual([...l.keys()], ['[ compute instances ]', '[ compute disks ]']);
    assert.equal(countLines(l), 3);
    assert.equal(formatListing(l), before);
  });

  it('a line After has that Before had not is a leak (whitespace ignored, per group); removals are not', () => {
    const after = `[ compute instances ]
NAME ZONE
vm-2  us-central1-b
[ compute disks ]
disk-1 10
[ compute routes ]
route-9
`;
    const l = leaked(parseListing(before), parseListing(after));
    assert.deepEqual(Object.fromEntries(l), {
      '[ compute instances ]': ['vm-2  us-central1-b'],
      '[ compute routes ]': ['route-9'],
    });
    assert.equal(countLines(leaked(parseListing(after), parseListing(after))), 0);
  });

  it('the same line under another group is a different resource', () => {
    const l = leaked(parseListing('[ a ]\nx\n'), parseListing('[ b ]\nx\n'));
    assert.deepEqual(Object.fromEntries(l), { '[ b ]': ['x'] });
  });
});
