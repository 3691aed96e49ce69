// Writes the run's reports into every report dir (--dump and $ARTIFACTS), each file atomically.
import { join } from 'node:path';
import type { RunContext } from '../run/context.js';
import { writeFileAtomic } from '../util/atomic.js';
import { buildMetadata, finishedJson, startedJson } from './metadata.js';
import { KUBETEST_VERSION } from '../version.js';
import type { Summary } from './summary.js';

export function writeStarted(ctx: RunContext, startedAt: number): void {
  const body = JSON.stringify(startedJson(startedAt, ctx.env), null, 2) + '\n';
  for (const dir of ctx.reportDirs) writeFileAtomic(join(dir, 'started.json'), body);
}

export function writeReports(
  ctx: RunContext,
  junitXml: string,
  finish: { result: 'SUCCESS' | 'FAILURE' | 'ABORTED'; version: string } | undefined,
): void {
  for (const dir of ctx.reportDirs) {
    writeFileAtomic(join(dir, 'junit_runner.xml'), junitXml);
    if (!finish) continue;
    const metadata = buildMetadata({
      dumpDir: dir,
      sources: ctx.cfg.metadataSources
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      version: finish.version,
      kubetestVersion: KUBETEST_VERSION,
      env: ctx.env,
    });
    // As kubetest's json.Encoder: one line, keys sorted.
    writeFileAtomic(join(dir, 'metadata.json'), JSON.stringify(metadata) + '\n');
    writeFileAtomic(
      join(dir, 'finished.json'),
      JSON.stringify(finishedJson(Date.now(), finish.result, finish.version, metadata), null, 2) + '\n',
    );
  }
}

/** summary.json and report.html of one report dir. */
export function writeSummary(dir: string, summary: Summary, html: string): void {
  writeFileAtomic(join(dir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  writeFileAtomic(join(dir, 'report.html'), html);
}
