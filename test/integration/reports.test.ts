// Issue 26 against real parts: a local cluster where upstream e2e.test fails two specs for real (kwok nodes
// serve no exec or logs), its summary.json checked against the schema, its report.html rendered by headless
// Chromium (Debian's chromium-headless-shell), then --rerun-failed running exactly the failed specs again;
// and a rerun focus for names full of regex metacharacters, checked by upstream e2e.test's own ginkgo.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { summaryValidator } from '../helpers/summary-schema.js';
import type { Summary } from '../../src/report/summary.js';
import { runChild, runInProcess } from '../helpers/cli.js';
import { e2eSpecs } from '../helpers/e2e-junit.js';
import { clusterEnv, stateOf, workDirWithRelease } from '../helpers/local.js';
import { tempDir } from '../helpers/tmp.js';

const PASSING = '[sig-api-machinery] API priority and fairness should support FlowSchema API operations [Conformance]';
const FAILING = [
  '[sig-node] Pods should support remote command execution over websockets [NodeConformance] [Conformance]',
  '[sig-node] Pods should support retrieving logs from the container over websockets [NodeConformance] [Conformance]',
];
const FOCUS = [PASSING, ...FAILING].map((n) => n.replace(/[[\]]/g, '\\$&').replace(/ /g, '\\s')).join('|');
const CHROMIUM = 'chromium-headless-shell';

function chromium(args: string[]): string {
  return execFileSync(CHROMIUM, ['--no-sandbox', '--disable-gpu', '--hide-scrollbars', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    timeout: 60_000,
  });
}

describe('reports of a real run', { timeout: 15 * 60_000 }, () => {
  it('a run with failing specs: summary.json, report.html in Chromium, closing summary; then --rerun-failed', async () => {
    const work = await workDirWithRelease();
    const dump = join(work, 'run1');
    const env = clusterEnv();
    let down = false;
    try {
      const r = await runChild(
        [
          '--deployment=local',
          '--provider=local',
          '--up',
          '--test',
          `--dump=${dump}`,
          '--timeout=10m',
          `--test_args=--ginkgo.focus=${FOCUS}`,
        ],
        { cwd: work, env },
      ).done;
      assert.equal(r.code, 1, r.stderr.slice(-3000));

      // The closing summary on the terminal.
      assert.match(r.stderr, /kubetest: 1 step\(s\) failed: Test; exit 1 after /);
      assert.match(r.stderr, /\n {2}Up\s+ok\s+[\d.]+s\n/);
      assert.match(r.stderr, /\n {2}Test\s+FAILED\s+/);
      assert.match(r.stderr, /\n {2}e2e: 3 of \d+ specs ran: 1 passed, 2 failed, \d+ skipped \(junit_01\.xml\)\n/);
      for (const f of FAILING) assert.ok(r.stderr.includes(`\n    [It] ${f}\n`), f);
      assert.ok(r.stderr.includes(`  report: ${join(dump, 'report.html')}\n`));

      // summary.json: valid, and the facts of this run.
      const summary = JSON.parse(readFileSync(join(dump, 'summary.json'), 'utf8')) as Summary;
      const validate = summaryValidator();
      assert.ok(validate(summary), JSON.stringify(validate.errors));
      assert.equal(summary.result, 'FAILURE');
      assert.equal(summary.exitCode, 1);
      assert.deepEqual(
        { ran: summary.e2e!.counts.ran, passed: summary.e2e!.counts.passed, failed: summary.e2e!.counts.failed },
        { ran: 3, passed: 1, failed: 2 },
      );
      assert.deepEqual(summary.e2e!.failed.map((f) => f.name).sort(), FAILING.map((f) => `[It] ${f}`).sort());
      assert.ok(summary.e2e!.failed.every((f) => /Failed to open websocket/.test(f.message ?? '')));
      const byName = new Map(summary.steps.map((s) => [s.name, s]));
      assert.equal(byName.get('Up')!.status, 'passed');
      assert.equal(byName.get('Test')!.status, 'failed');
      assert.ok(byName.get('Test')!.startSeconds >= byName.get('Up')!.startSeconds + byName.get('Up')!.durationSeconds);
      statSync(join(dump, byName.get('Test')!.log!));

      // report.html as a browser sees it: the DOM after parsing, and a screenshot.
      const html = join(dump, 'report.html');
      const dom = chromium(['--dump-dom', `file://${html}`]);
      assert.match(dom, /<span id="result" class="badge FAILURE">FAILURE<\/span>/);
      for (const step of ['Up', 'IsUp', 'Test', 'DumpClusterLogs'])
        assert.match(dom, new RegExp(`<tr class="step" data-status="(passed|failed)"><td>${step}</td>`), step);
      assert.match(dom, /<p id="e2e-counts"><b>3<\/b> of \d+ specs ran: <span class="badge passed">1 passed<\/span>/);
      assert.match(dom, /<span class="badge failed">2 failed<\/span>/);
      for (const f of FAILING) assert.ok(dom.includes(`<b>[It] ${f}</b>`), f);
      assert.match(dom, /<details><summary>spec log/);
      assert.match(dom, /<a href="kubetest-steps\/[^"]+-Test\.log">full log of Test<\/a>/);
      const png = join(dump, 'report.png');
      chromium([`--screenshot=${png}`, '--window-size=1280,1600', `file://${html}`]);
      assert.ok(statSync(png).size > 20_000, 'a screenshot with content');
      if (process.env['KUBETEST_REPORT_SCREENSHOT']) copyFileSync(png, process.env['KUBETEST_REPORT_SCREENSHOT']);

      // --rerun-failed on the same cluster (split invocation): exactly the two failed specs run again.
      const dump2 = join(work, 'run2');
      const r2 = await runChild(
        [
          '--deployment=local',
          '--test',
          '--down',
          `--dump=${dump2}`,
          `--rerun-failed=${dump}`,
          '--test_args=--ginkgo.focus=xyz',
        ],
        { cwd: work, env },
      ).done;
      down = true;
      assert.equal(r2.code, 1, r2.stderr.slice(-3000));
      assert.match(r2.stderr, /--rerun-failed: 2 failed spec\(s\) from .*run1\/junit_01\.xml/);
      const { ran, failed } = e2eSpecs(join(dump2, 'junit_01.xml'));
      assert.deepEqual(ran.map((c) => c.name).sort(), FAILING.map((f) => `[It] ${f}`).sort());
      assert.equal(failed.length, 2);
      assert.equal(stateOf(work), undefined, 'the second run tore the cluster down');
    } finally {
      if (!down) await runChild(['--deployment=local', '--down'], { cwd: work, env }).done;
    }
  });

  it('a rerun focus for names with brackets, parentheses, * + and quotes selects exactly them in e2e.test', async () => {
    const work = await workDirWithRelease();
    const e2e = join(work, 'kubernetes', 'platforms', 'linux', 'amd64', 'e2e.test');
    // Every spec name of the suite, as upstream's own junit writes them (a dry run runs nothing).
    const all = tempDir('dry-all');
    // (A focus of its own keeps e2e.test from skipping [Feature:OffByDefault] specs by default.)
    execFileSync(e2e, ['--ginkgo.dry-run', '--ginkgo.no-color', '--ginkgo.focus=.', `--report-dir=${all}`], {
      stdio: 'ignore',
    });
    const names = e2eSpecs(join(all, 'junit_01.xml')).ran.map((c) => c.name);
    const pick = (re: RegExp) => {
      const n = names.find((x) => re.test(x));
      assert.ok(n, `no spec matches ${re}`);
      return n;
    };
    const chosen = [pick(/\*not\*/), pick(/\(container cmd\)/), pick(/signer\+labels/), pick(/'s default command/)];
    assert.equal(new Set(chosen).size, 4, JSON.stringify(chosen));
    const junit = join(work, 'junit_failed.xml');
    const cases = names
      .map((n) => {
        const esc = n.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
        const failure = chosen.includes(n) ? '<failure type="failed">[FAILED] x</failure>' : '';
        return `<testcase name="${esc}" classname="Kubernetes e2e suite" status="${failure ? 'failed' : 'passed'}">${failure}</testcase>`;
      })
      .join('\n');
    writeFileSync(junit, `<testsuites><testsuite name="Kubernetes e2e suite">${cases}</testsuite></testsuites>\n`);

    const plan = await runInProcess(['--deployment=local', '--test', '--dry-run=json', `--rerun-failed=${junit}`], {
      cwd: work,
      env: clusterEnv(),
    });
    assert.equal(plan.code, 0, plan.stderr);
    const focus = (JSON.stringify(JSON.parse(plan.stdout)).match(/--ginkgo\.focus=((?:[^"\\]|\\.)*)/) ?? [])[1];
    assert.ok(focus, plan.stdout);
    const dry = tempDir('dry-rerun');
    execFileSync(
      e2e,
      ['--ginkgo.dry-run', '--ginkgo.no-color', `--ginkgo.focus=${JSON.parse(`"${focus}"`)}`, `--report-dir=${dry}`],
      {
        stdio: 'ignore',
      },
    );
    assert.deepEqual(
      e2eSpecs(join(dry, 'junit_01.xml'))
        .ran.map((c) => c.name)
        .sort(),
      [...chosen].sort(),
    );
  });
});
