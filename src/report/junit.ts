// junit_runner.xml in kubetest's format: suite "kubetest", one testcase per step (classname "e2e.go"),
// times in float seconds as Go prints them, a last "Timeout" case, 4-space indentation.
import XMLBuilder from 'fast-xml-builder';
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

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  indentBy: '    ',
  suppressEmptyNode: false,
  processEntities: true,
});

export function renderJunit(suite: JunitSuite): string {
  const failures = suite.cases.filter((c) => c.failure !== undefined).length + (suite.timedOut ? 1 : 0);
  const all: JunitCase[] = [
    ...suite.cases,
    {
      name: 'Timeout',
      durationMs: suite.timeoutMs,
      failure: suite.timedOut ? 'kubetest --timeout triggered' : undefined,
    },
  ];
  const testcase = all.map((c) => ({
    '@_classname': 'e2e.go',
    '@_name': xmlSafe(c.name),
    '@_time': formatGoFloat(c.durationMs / 1000),
    ...(c.failure !== undefined
      ? { failure: xmlSafe(c.failure) }
      : c.skipped !== undefined
        ? { skipped: xmlSafe(c.skipped) }
        : {}),
    ...(c.failure !== undefined && c.output ? { 'system-out': xmlSafe(c.output) } : {}),
  }));
  const doc = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuite: {
      '@_name': 'kubetest',
      '@_time': formatGoFloat(suite.durationMs / 1000),
      '@_failures': String(failures),
      '@_tests': String(suite.cases.length),
      testcase,
    },
  };
  return builder.build(doc) as string;
}
