import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { formatGoFloat } from './gofloat.js';
import { renderJunit } from './junit.js';

describe('Go float formatting (junit times)', () => {
  const cases: Array<[number, string]> = [
    [9.284e-6, '9.284e-06'],
    [40.045468902, '40.045468902'],
    [60, '60'],
    [0, '0'],
    [0.000819269, '0.000819269'],
    [5.21e-7, '5.21e-07'],
    [1234567, '1.234567e+06'],
    [100000, '100000'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [513.279, '513.279'],
  ];
  for (const [f, s] of cases) it(`${f} → ${s}`, () => assert.equal(formatGoFloat(f), s));
});

describe('junit_runner.xml', () => {
  const xml = renderJunit({
    durationMs: 40_045.468902,
    timeoutMs: 60_000,
    timedOut: true,
    cases: [
      { name: 'Up', durationMs: 1500 },
      {
        name: 'Test',
        durationMs: 2000,
        failure: 'error during ./hack/ginkgo-e2e.sh: exit status 1',
        output: 'line\x1b[31m red\x1b[0m\x07',
      },
      { name: 'TearDown', durationMs: 0, skipped: 'skipped: kubetest was terminated' },
    ],
  });
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
  it("has kubetest's suite, classname and counts (Timeout counts in failures, not tests)", () => {
    assert.equal(doc.testsuite.name, 'kubetest');
    assert.equal(doc.testsuite.tests, '3');
    assert.equal(doc.testsuite.failures, '2');
    assert.equal(doc.testsuite.time, '40.045468902');
    const cases = doc.testsuite.testcase as Array<Record<string, unknown>>;
    assert.deepEqual(
      cases.map((c) => c['name']),
      ['Up', 'Test', 'TearDown', 'Timeout'],
    );
    assert.ok(cases.every((c) => c['classname'] === 'e2e.go'));
    assert.equal(cases[0]!['time'], '1.5');
    assert.equal(cases[1]!['failure'], 'error during ./hack/ginkgo-e2e.sh: exit status 1');
    assert.equal(cases[1]!['system-out'], 'line red');
    assert.equal(cases[2]!['skipped'], 'skipped: kubetest was terminated');
    assert.equal(cases[3]!['time'], '60');
    assert.equal(cases[3]!['failure'], 'kubetest --timeout triggered');
  });
  it('starts with the XML header and indents by 4 spaces', () => {
    assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuite /);
    assert.match(xml, /\n {4}<testcase classname="e2e.go" name="Up" time="1.5"><\/testcase>\n/);
  });
});
