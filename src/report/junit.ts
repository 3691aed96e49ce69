// junit_runner.xml in kubetest's format: suite "kubetest", one testcase per step (classname "e2e.go"),
// times in float seconds as Go prints them, a last "Timeout" case, 4-space indentation.
import { create } from 'xmlbuilder2';
import { formatGoFloat } from './gofloat.js';

export interface JunitCase {
  name: string;
  durationMs: number;
  failure?: string | undefined;
  skipped?: string | undefined;
  /** Tail of the step's output; written as <system-out> for failed steps. */
  output?: string | undefined;
}

export interface JunitSuite {
  cases: JunitCase[];
  durationMs: number;
  timeoutMs: number;
  timedOut: boolean;
}

// XML 1.0 forbids most control characters; child output is full of them (colors, progress bars).
function xmlSafe(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g, '');
}

export function renderJunit(suite: JunitSuite): string {
  const failures = suite.cases.filter((c) => c.failure !== undefined).length + (suite.timedOut ? 1 : 0);
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const ts = doc.ele('testsuite', {
    name: 'kubetest',
    time: formatGoFloat(suite.durationMs / 1000),
    failures: String(failures),
    tests: String(suite.cases.length),
  });
  const all: JunitCase[] = [
    ...suite.cases,
    { name: 'Timeout', durationMs: suite.timeoutMs, failure: suite.timedOut ? 'kubetest --timeout triggered' : undefined },
  ];
  for (const c of all) {
    const tc = ts.ele('testcase', { classname: 'e2e.go', name: xmlSafe(c.name), time: formatGoFloat(c.durationMs / 1000) });
    if (c.failure !== undefined) tc.ele('failure').txt(xmlSafe(c.failure));
    else if (c.skipped !== undefined) tc.ele('skipped').txt(xmlSafe(c.skipped));
    if (c.failure !== undefined && c.output) tc.ele('system-out').txt(xmlSafe(c.output));
  }
  return doc.end({ prettyPrint: true, indent: '    ', allowEmptyTags: true }) + '\n';
}
