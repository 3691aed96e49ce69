// The closing summary on the terminal: each step with its time and result, the e2e counts, the first failed
// specs, and where the report is. Plain text (it also lands in CI logs).
import { formatSeconds } from './html.js';
import type { Summary } from './summary.js';

export const FAILED_SPECS_SHOWN = 10;

export function closingSummary(s: Summary, report: string | undefined): string {
  const width = Math.max(4, ...s.steps.map((st) => st.name.length));
  const lines = [`kubetest: ${s.reason}; exit ${s.exitCode} after ${formatSeconds(s.durationSeconds)}`];
  for (const st of s.steps) {
    const mark = st.status === 'passed' ? 'ok' : st.status === 'failed' ? 'FAILED' : 'skipped';
    lines.push(`  ${st.name.padEnd(width)}  ${mark.padEnd(7)} ${formatSeconds(st.durationSeconds).padStart(6)}`);
  }
  if (s.e2e) {
    const c = s.e2e.counts;
    lines.push(
      `  e2e: ${c.ran} of ${c.total} specs ran: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped ` +
        `(${s.e2e.files.join(', ')})`,
    );
    const failed = s.e2e.failed;
    if (failed.length > 0) {
      lines.push(`  failed specs (${failed.length}):`);
      for (const f of failed.slice(0, FAILED_SPECS_SHOWN)) lines.push(`    ${f.name}`);
      if (failed.length > FAILED_SPECS_SHOWN)
        lines.push(`    … ${failed.length - FAILED_SPECS_SHOWN} more in summary.json`);
    }
    for (const p of s.e2e.problems) lines.push(`  unreadable junit: ${p}`);
  }
  if (report) lines.push(`  report: ${report}`);
  return lines.join('\n') + '\n';
}
