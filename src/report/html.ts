// report.html: one self-contained page (no network, no script) a person opens after a run — the lifecycle
// as a timeline, the command line, config and versions, the e2e results (totals, by SIG, failed specs with
// their messages and logs, slowest specs), and the tails of failed steps with links to their full logs.
// Its size does not grow with the spec count: only failed and slowest specs are listed.
import type { SpecResult } from './e2e-junit.js';
import { linkFrom, type StepRecord, type Summary } from './summary.js';

const STEP_TAIL_LINES = 40;
const SPEC_LOG_CHARS = 16 * 1024;
/** Failed specs shown with their logs; the rest are listed by name (summary.json has them all). */
const FAILED_WITH_LOGS = 200;

export interface HtmlInput {
  summary: Summary;
  steps: readonly StepRecord[];
  /** Failed e2e testcases with their logs (summary.json carries names and messages only). */
  failedSpecs: readonly SpecResult[];
  reportDir: string;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const e = escapeHtml;

export function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.round(s - m * 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** A command line as a person would paste it (POSIX single quotes where needed). */
export function shellLine(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1f2328;max-width:1200px}
h1{font-size:22px;margin:0 0 8px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d0d7de}
.badge{display:inline-block;padding:2px 10px;border-radius:12px;color:#fff;font-weight:600}
.passed,.SUCCESS{background:#1a7f37}.failed,.FAILURE{background:#cf222e}.skipped{background:#8c959f}
.ABORTED{background:#9a6700}
table{border-collapse:collapse;width:100%}td,th{padding:3px 8px;text-align:left;vertical-align:top}
tr:nth-child(even){background:#f6f8fa}.num{text-align:right;font-variant-numeric:tabular-nums}
.track{position:relative;height:16px;background:#eaeef2;border-radius:3px;min-width:300px}
.bar{position:absolute;top:0;height:16px;border-radius:3px;min-width:2px}
pre{background:#f6f8fa;padding:8px;overflow-x:auto;white-space:pre-wrap;word-break:break-all;font-size:12px}
code{font-size:12px}.muted{color:#656d76}details{margin:4px 0}summary{cursor:pointer}
`;

function stepsTimeline(s: Summary): string {
  const total = Math.max(s.durationSeconds, ...s.steps.map((st) => st.startSeconds + st.durationSeconds), 0.001);
  const rows = s.steps.map((st, i) => {
    const left = (100 * st.startSeconds) / total;
    const width = (100 * st.durationSeconds) / total;
    const link = st.log ? ` <a href="${e(st.log)}">log</a>` : '';
    const why = st.status === 'failed' ? ` <a href="#step-${i}">why</a>` : '';
    return (
      `<tr class="step" data-status="${st.status}"><td>${e(st.name)}</td>` +
      `<td><span class="badge ${st.status}">${st.status}</span></td>` +
      `<td class="num">${formatSeconds(st.durationSeconds)}</td>` +
      `<td style="width:60%"><div class="track"><div class="bar ${st.status}" ` +
      `style="left:${left.toFixed(3)}%;width:${width.toFixed(3)}%"></div></div></td><td>${link}${why}</td></tr>`
    );
  });
  const header = '<tr><th>Step</th><th>Result</th><th>Time</th><th>Timeline</th><th></th></tr>';
  return `<table id="timeline">${header}${rows.join('')}</table>`;
}

function failedSteps(inp: HtmlInput): string {
  const blocks = inp.summary.steps.flatMap((st, i) => {
    if (st.status !== 'failed') return [];
    const rec = inp.steps[i];
    const tail = (rec?.output ?? '').replace(/\n$/, '').split('\n').slice(-STEP_TAIL_LINES).join('\n');
    const full = st.log ? `<p><a href="${e(st.log)}">full log of ${e(st.name)}</a></p>` : '';
    return [
      `<div id="step-${i}"><h3>${e(st.name)}</h3><p>${e(st.message ?? 'failed')}</p>` +
        `${tail ? `<pre>${e(tail)}</pre>` : ''}${full}</div>`,
    ];
  });
  return blocks.length ? `<h2>Failed steps</h2>${blocks.join('')}` : '';
}

function e2eSection(inp: HtmlInput): string {
  const r = inp.summary.e2e;
  if (!r) return '<h2>e2e results</h2><p class="muted">No e2e junit in this report dir.</p>';
  const c = r.counts;
  const totals =
    `<p id="e2e-counts"><b>${c.ran}</b> of ${c.total} specs ran: ` +
    `<span class="badge passed">${c.passed} passed</span> <span class="badge failed">${c.failed} failed</span> ` +
    `<span class="badge skipped">${c.skipped} skipped</span> <span class="muted">(${r.files.map(e).join(', ')})` +
    `</span></p>`;
  const sigs = r.bySig
    .filter((row) => row.passed + row.failed > 0)
    .map(
      (row) =>
        `<tr><td>${e(row.sig)}</td><td class="num">${row.passed}</td><td class="num">${row.failed}</td>` +
        `<td class="num">${row.skipped}</td></tr>`,
    );
  const bySig = sigs.length
    ? `<h3>By SIG</h3><table><tr><th>SIG</th><th class="num">passed</th><th class="num">failed</th>` +
      `<th class="num">skipped</th></tr>${sigs.join('')}</table>`
    : '';
  const failed = inp.failedSpecs.map((spec, i) => {
    const anchor = `spec-${i}`;
    const log = spec.log && i < FAILED_WITH_LOGS ? spec.log.slice(-SPEC_LOG_CHARS) : '';
    return (
      `<li class="failed-spec" id="${anchor}"><b>${e(spec.name)}</b> <span class="muted">` +
      `${formatSeconds(spec.seconds)} · ${e(linkFrom(inp.reportDir, spec.file))}</span>` +
      `<pre>${e(spec.message ?? '')}</pre>` +
      (log ? `<details><summary>spec log (<a href="#${anchor}">#</a>)</summary><pre>${e(log)}</pre></details>` : '') +
      `</li>`
    );
  });
  const failedList = failed.length ? `<h3>Failed specs (${failed.length})</h3><ol>${failed.join('')}</ol>` : '';
  const slow = r.slowest.map((s) => `<tr><td>${e(s.name)}</td><td class="num">${formatSeconds(s.seconds)}</td></tr>`);
  const slowest = slow.length
    ? `<h3>Slowest specs</h3><table><tr><th>Spec</th><th class="num">Time</th></tr>${slow.join('')}</table>`
    : '';
  const problems = r.problems.length
    ? `<p class="muted">Unreadable junit files: ${r.problems.map(e).join('; ')}</p>`
    : '';
  return `<h2>e2e results</h2>${totals}${problems}${failedList}${bySig}${slowest}`;
}

function configTable(config: Readonly<Record<string, unknown>>): string {
  const rows = Object.entries(config).map(
    ([k, v]) => `<tr><td><code>--${e(k)}</code></td><td><code>${e(JSON.stringify(v))}</code></td></tr>`,
  );
  return rows.length ? `<table id="config">${rows.join('')}</table>` : '<p class="muted">all defaults</p>';
}

export function renderHtml(inp: HtmlInput): string {
  const s = inp.summary;
  const versions = [
    `kubetest ${s.kubetestVersion}`,
    `Kubernetes ${s.versions.kubernetes}`,
    ...s.versions.extracted.map((x) => `extracted ${x.arg} → ${x.version}`),
  ];
  return [
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
    `<meta name="viewport" content="width=device-width"><title>kubetest ${e(s.result)}</title>`,
    `<style>${STYLE}</style></head><body>`,
    `<h1>kubetest <span id="result" class="badge ${e(s.result)}">${e(s.result)}</span></h1>`,
    `<p id="reason">${e(s.reason)} · exit ${s.exitCode} · ${formatSeconds(s.durationSeconds)} · started ` +
      `${e(s.startedAt)} · --deployment=${e(s.deployment)}</p>`,
    `<h2>Steps</h2>${stepsTimeline(s)}`,
    e2eSection(inp),
    failedSteps(inp),
    `<h2>Command line</h2><pre id="command">${e(shellLine(['kubetest', ...s.command]))}</pre>`,
    `<h2>Versions</h2><ul>${versions.map((v) => `<li>${e(v)}</li>`).join('')}</ul>`,
    `<h2>Config</h2>${configTable(s.config)}`,
    '</body></html>\n',
  ].join('\n');
}
