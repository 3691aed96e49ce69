// report.html for a 20 000-spec e2e run (#26): how long kubetest takes to read the junit and write the
// report, and how long headless Chromium takes to open it, side by side with opening the raw junit_01.xml
// (what people open today) and an empty page (the browser's own floor). Alternating, median of BENCH_RUNS.
import { statSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readE2eResults } from '../src/report/e2e-junit.js';
import { renderHtml } from '../src/report/html.js';
import { buildSummary, type StepRecord } from '../src/report/summary.js';
import { median, report, timeCommand } from './lib.js';

const SPECS = Number(process.env['BENCH_SPECS'] ?? 20_000);
const FAILED = Math.round(SPECS / 100);
const runs = Number(process.env['BENCH_RUNS'] ?? 5);
const dir = mkdtempSync(join(tmpdir(), 'kubetest-bench-report-'));

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
const sigs = ['sig-node', 'sig-apps', 'sig-network', 'sig-storage', 'sig-api-machinery', 'sig-cli', 'sig-auth'];
const timeline = Array.from({ length: 200 }, (_, i) => `STEP: step ${i} - framework.go:${i} @ 12/04/26 23:42:19`)
  .join('&#xA;')
  .slice(0, 20_000);
const cases: string[] = [];
for (let i = 0; i < SPECS; i++) {
  const name = `[It] [${sigs[i % sigs.length]}] Feature ${i} should do thing (variant ${i % 13}) [Conformance]`;
  const failed = i % Math.floor(SPECS / FAILED) === 0;
  const skipped = !failed && i % 3 === 0;
  const status = failed ? 'failed' : skipped ? 'skipped' : 'passed';
  const body = failed
    ? `<failure message="" type="failed">[FAILED] timed out waiting for pod ${i}&#xA;In [It] at: x.go:1</failure>` +
      `<system-err>${timeline}</system-err>`
    : skipped
      ? '<skipped message="skipped"></skipped>'
      : '';
  cases.push(
    `<testcase name="${esc(name)}" classname="Kubernetes e2e suite" status="${status}" time="${(i % 97) / 7}">` +
      `${body}</testcase>`,
  );
}
const junit = join(dir, 'junit_01.xml');
writeFileSync(
  junit,
  `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="Kubernetes e2e suite">\n` +
    `${cases.join('\n')}\n</testsuite></testsuites>\n`,
);

const steps: StepRecord[] = [
  { id: 'up', name: 'Up', status: 'ok', startMs: 0, durationMs: 4000 },
  { id: 'test', name: 'Test', status: 'failed', startMs: 4000, durationMs: 3_600_000, message: 'exit status 1' },
  { id: 'down', name: 'TearDown', status: 'ok', startMs: 3_604_000, durationMs: 2000 },
];
const html = join(dir, 'report.html');
const render = () => {
  const e2e = readE2eResults(dir);
  const summary = buildSummary(
    {
      argv: ['--test'],
      deployment: 'local',
      provider: 'local',
      startedAt: 0,
      finishedAt: 3_606_000,
      result: 'FAILURE',
      exitCode: 1,
      reason: '1 step(s) failed: Test',
      kubetestVersion: 'bench',
      kubernetesVersion: 'v1.36.3',
      extracted: [],
      config: {},
      steps,
      e2e,
    },
    dir,
  );
  const failedSpecs = e2e.cases.filter((c) => c.status === 'failed');
  writeFileSync(html, renderHtml({ summary, steps, failedSpecs, reportDir: dir }));
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(summary, null, 2));
};
const ours: number[] = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  render();
  ours.push(performance.now() - t0);
}
const empty = join(dir, 'empty.html');
writeFileSync(empty, '<!DOCTYPE html><title>empty</title>');

const chromium = (file: string) => [
  'chromium-headless-shell',
  '--no-sandbox',
  '--disable-gpu',
  '--dump-dom',
  `file://${file}`,
];
const opened = { report: [] as number[], junit: [] as number[], empty: [] as number[] };
await timeCommand(chromium(empty));
for (let i = 0; i < runs; i++) {
  opened.report.push(await timeCommand(chromium(html)));
  opened.junit.push(await timeCommand(chromium(junit)));
  opened.empty.push(await timeCommand(chromium(empty)));
}
const mb = (f: string) => `${(statSync(f).size / 1e6).toFixed(1)} MB`;
const ms = (xs: number[]) =>
  `${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;
report(`report.html for ${SPECS} specs (${FAILED} failed with 20 KB logs), median of ${runs}`, [
  ['junit_01.xml size', mb(junit)],
  ['report.html size', mb(html)],
  ['kubetest: read junit + write summary.json + report.html', ms(ours)],
  ['chromium opens report.html (--dump-dom)', ms(opened.report)],
  ['chromium opens junit_01.xml (baseline)', ms(opened.junit)],
  ['chromium opens an empty page (floor)', ms(opened.empty)],
  ['report.html / junit_01.xml open time', `${(median(opened.report) / median(opened.junit)).toFixed(2)}x`],
  ['report.html above the floor', `${(median(opened.report) - median(opened.empty)).toFixed(0)} ms`],
]);
