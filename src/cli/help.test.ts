import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { helpText } from './help.js';
import { FLAGS, GROUP_TITLES } from './flags.js';

describe('--help', () => {
  const text = helpText();
  it('groups flags by lifecycle step, in lifecycle order', () => {
    const order = ['lifecycle', 'build', 'stage', 'extract', 'cluster', 'test', 'dump'] as const;
    const positions = order.map((g) => text.indexOf(`${GROUP_TITLES[g]}:`));
    assert.ok(
      positions.every((p) => p >= 0),
      'every group has a heading',
    );
    assert.deepEqual(
      [...positions].sort((a, b) => a - b),
      positions,
    );
  });
  it('lists every flag once, under its group, with defaults and env vars', () => {
    for (const f of FLAGS)
      assert.equal(
        text.split(`  --${f.name} `).length +
          text.split(`  --${f.name}\n`).length +
          text.split(`  --${f.name}[`).length -
          3,
        1,
        f.name,
      );
    assert.match(text, /--timeout duration\s+Deadline for the whole run .*\(default|--timeout duration\s+Deadline/);
    assert.match(text, /--cleanup-grace duration .*\(default 15m0s\).*\(new\)/);
    assert.match(text, /--provider string .*\[\$KUBERNETES_PROVIDER\]/);
    assert.match(text, /--build\[=quick\]/);
  });
});
