// summary.json against its JSON Schema (docs/summary.schema.json), report.html's content and escaping, and the
// closing summary on the terminal.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { summaryValidator } from '../../test/helpers/summary-schema.js';
import { closingSummary } from './closing.js';
import { readE2eResults } from './e2e-junit.js';
import { escapeHtml, renderHtml, shellLine } from './html.js';
import { buildSummary, countSpecs, sigOf, type StepRecord, type SummaryInput } from './summary.js';

const dir = mkdtempSync(join(tmpdir(), 'kubetest-summary-'));
writeFileSync(
  join(dir, 'junit_01.xml'),
  `<testsuites><testsuite name="Kubernetes e2e suite">
  <testcase name="[SynchronizedBeforeSuite]" classname="Kubernetes e2e suite" status="passed" time="1"></testcase>
  <testcase name="[It] [sig-node] &lt;script&gt;alert(1)&lt;/script&gt; fails" classname="Kubernetes e2e suite"
    status="failed" time="12.5"><failure type="failed">[FAILED] &lt;b&gt;bold&lt;/b&gt;</failure>
    <system-err>spec log line &lt;i&gt;</system-err></testcase>
  <testcase name="[It] [sig-node] passes" classname="Kubernetes e2e suite" status="passed" time="3"></testcase>
  <testcase name="[It] [sig-apps] passes" classname="Kubernetes e2e suite" status="passed" time="30"></testcase>
  <testcase name="[It] no sig" classname="Kubernetes e2e suite" status="skipped" time="0"><skipped/></testcase>
</testsuite></testsuites>`,
);
const logFile = join(dir, 'kubetest-steps', 'x', '02-Test.log');
const steps: StepRecord[] = [
  { id: 'up', name: 'Up', status: 'ok', startMs: 10, durationMs: 4000 },
  {
    id: 'test',
    name: 'Test',
    status: 'failed',
    startMs: 4100,
    durationMs: 50_000,
    message: 'error during ./hack/ginkgo-e2e.sh: exit status 1',
    output: Array.from({ length: 100 }, (_, i) => `line ${i} <tag>`).join('\n'),
    logFile,
  },
  { id: 'down', name: 'TearDown', status: 'skipped', startMs: 54_200, durationMs: 0, message: 'skipped: x' },
];
const input = (over: Partial<SummaryInput> = {}): SummaryInput => ({
  argv: ['--up', '--test_args=--ginkgo.focus=a b', "--cluster=it's"],
  deployment: 'local',
  provider: 'local',
  startedAt: Date.UTC(2026, 11, 4, 12, 0, 0),
  finishedAt: Date.UTC(2026, 11, 4, 12, 1, 0),
  result: 'FAILURE',
  exitCode: 1,
  reason: '1 step(s) failed: Test',
  kubetestVersion: 'v0.1.0',
  kubernetesVersion: 'v1.36.3',
  extracted: [{ arg: 'file:///r', version: 'v1.36.3' }],
  config: { up: true, test_args: '--ginkgo.focus=a b', extract: ['a', 'b'] },
  steps,
  e2e: readE2eResults(dir),
  ...over,
});

describe('summary.json', () => {
  const validate = summaryValidator();

  it('validates against docs/summary.schema.json, with and without e2e results', () => {
    for (const s of [buildSummary(input(), dir), buildSummary(input({ e2e: undefined }), dir)]) {
      assert.ok(validate(JSON.parse(JSON.stringify(s))), JSON.stringify(validate.errors));
    }
  });

  it('the schema rejects what it should (wrong status, a missing field, an unknown field)', () => {
    const s = JSON.parse(JSON.stringify(buildSummary(input(), dir)));
    assert.equal(validate({ ...s, result: 'PASSED' }), false);
    const { reason: _r, ...noReason } = s;
    assert.equal(validate(noReason), false);
    assert.equal(validate({ ...s, extra: 1 }), false);
    assert.equal(validate({ ...s, steps: [{ ...s.steps[0], status: 'ok' }] }), false);
  });

  it('holds steps, counts, failed and slowest specs, SIGs and relative links', () => {
    const s = buildSummary(input(), dir);
    assert.deepEqual(
      s.steps.map((x) => [x.name, x.status, x.startSeconds, x.durationSeconds]),
      [
        ['Up', 'passed', 0.01, 4],
        ['Test', 'failed', 4.1, 50],
        ['TearDown', 'skipped', 54.2, 0],
      ],
    );
    assert.equal(s.steps[1]!.log, join('kubetest-steps', 'x', '02-Test.log'));
    assert.deepEqual(s.e2e!.counts, { total: 4, ran: 3, passed: 2, failed: 1, skipped: 1 });
    assert.deepEqual(
      s.e2e!.failed.map((f) => [f.name, f.message, f.file]),
      [['[It] [sig-node] <script>alert(1)</script> fails', '[FAILED] <b>bold</b>', 'junit_01.xml']],
    );
    assert.deepEqual(
      s.e2e!.slowest.map((f) => f.seconds),
      [30, 12.5, 3],
    );
    assert.deepEqual(s.e2e!.bySig, [
      { sig: 'other', passed: 0, failed: 0, skipped: 1 },
      { sig: 'sig-apps', passed: 1, failed: 0, skipped: 0 },
      { sig: 'sig-node', passed: 1, failed: 1, skipped: 0 },
    ]);
    assert.equal(s.durationSeconds, 60);
    assert.equal(s.startedAt, '2026-12-04T12:00:00.000Z');
  });

  it('counts specs without suite nodes; SIG from the name', () => {
    assert.deepEqual(countSpecs([]), { total: 0, ran: 0, passed: 0, failed: 0, skipped: 0 });
    assert.equal(sigOf('[It] [sig-api-machinery] x [Conformance]'), 'sig-api-machinery');
    assert.equal(sigOf('[It] x'), 'other');
  });
});

describe('report.html', () => {
  const s = buildSummary(input(), dir);
  const e2e = readE2eResults(dir);
  const html = renderHtml({
    summary: s,
    steps,
    failedSpecs: e2e.cases.filter((c) => c.status === 'failed'),
    reportDir: dir,
  });

  it('escapes everything that came from outside (spec names, messages, logs, argv)', () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;');
    assert.doesNotMatch(html, /<script>|<b>bold|<i>|<tag>/);
    assert.match(html, /&#60;script&#62;alert\(1\)&#60;\/script&#62; fails/);
  });

  it('is self-contained: no script, no external URL', () => {
    assert.doesNotMatch(html, /<script|<link|src=|https?:\/\//i);
  });

  it('holds the timeline, counts, failed spec with its log, step tail with its log link, command and config', () => {
    assert.match(html, /<tr class="step" data-status="failed"><td>Test<\/td>/);
    assert.match(html, /left:6\.833%;width:83\.333%/, "bars to scale: Test runs 50 s from 4.1 s of the run's 60 s");
    assert.match(html, /<b>3<\/b> of 4 specs ran/);
    assert.match(html, /id="spec-0"/);
    assert.match(html, /spec log line &#60;i&#62;/);
    assert.match(html, /href="kubetest-steps\/x\/02-Test\.log"/);
    assert.match(html, /line 99 &#60;tag&#62;/);
    assert.doesNotMatch(html, /line 59 /, 'only the tail of a failed step');
    assert.match(
      html,
      /kubetest --up &#39;--test_args=--ginkgo.focus=a b&#39; &#39;--cluster=it&#39;\\&#39;&#39;s&#39;/,
    );
    assert.match(html, /<code>--extract<\/code><\/td><td><code>\[&#34;a&#34;,&#34;b&#34;\]<\/code>/);
  });

  it('quotes a command line as a shell would take it back', () => {
    assert.equal(shellLine(['kubetest', '--a=b', 'c d', "e'f"]), `kubetest --a=b 'c d' 'e'\\''f'`);
  });
});

describe('closing summary', () => {
  it('lists steps with times, the e2e counts, failed specs and the report', () => {
    const text = closingSummary(buildSummary(input(), dir), join(dir, 'report.html'));
    const lines = text.trimEnd().split('\n');
    assert.equal(lines[0], 'kubetest: 1 step(s) failed: Test; exit 1 after 1m00s');
    assert.match(lines[1]!, /^ {2}Up\s+ok\s+4\.0s$/);
    assert.match(lines[2]!, /^ {2}Test\s+FAILED\s+50s$/);
    assert.match(lines[3]!, /^ {2}TearDown\s+skipped\s+0\.0s$/);
    assert.equal(lines[4], '  e2e: 3 of 4 specs ran: 2 passed, 1 failed, 1 skipped (junit_01.xml)');
    assert.equal(lines[5], '  failed specs (1):');
    assert.equal(lines[6], '    [It] [sig-node] <script>alert(1)</script> fails');
    assert.equal(lines[7], `  report: ${join(dir, 'report.html')}`);
  });

  it('shows the first ten failed specs and says how many more', () => {
    const many = buildSummary(input(), dir);
    many.e2e!.failed = Array.from({ length: 13 }, (_, i) => ({ name: `spec ${i}`, suite: 's', seconds: 1, file: 'f' }));
    const text = closingSummary(many, undefined);
    assert.match(text, /spec 9\n {4}… 3 more in summary\.json\n$/);
    assert.doesNotMatch(text, /spec 10|report:/);
  });
});
