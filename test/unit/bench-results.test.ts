// `npm run bench` rewrites only the latest section of bench/RESULTS.md: the history below stays as it was.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderSection, withLatest } from '../../bench/results-md.js';

describe('bench/RESULTS.md latest section', () => {
  const section = renderSection(
    [{ title: 'startup: kubetest (--help) vs node -e 0', rows: [['ratio (goal <= 1.3)', '1.21x | wall']] }],
    new Date('2026-12-05T07:20:00Z'),
  );

  it('renders each report as a table with date, machine and versions; a | in a cell is escaped', () => {
    assert.match(section, /^<!-- bench:latest:start -->\n## Latest `npm run bench` — 2026-12-05 07:20 UTC\n/);
    assert.match(section, /Machine: \d+ cores .*GiB, Linux .*; Node v\d+/);
    assert.match(section, /\| ratio \(goal <= 1\.3\) \| 1\.21x \\\| wall \|/);
    assert.match(section, /<!-- bench:latest:end -->$/);
  });

  it('goes first under the title, then replaces itself; older sections stay', () => {
    const md = '# Benchmark results\n\nintro\n\n## startup — 2026-11-25\nold table\n';
    const once = withLatest(md, section);
    assert.equal(once, `# Benchmark results\n\nintro\n\n${section}\n\n## startup — 2026-11-25\nold table\n`);
    const newer = section.replace('07:20', '09:00');
    assert.equal(withLatest(once, newer), once.replace(section, newer));
  });
});
