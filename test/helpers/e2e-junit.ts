// What an upstream e2e.test run reported in its junit_01.xml: the specs that ran, and those that failed.
import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';

interface Case {
  name: string;
  failure?: unknown;
  skipped?: unknown;
  status?: string;
}

/** Specs that ran (suite-level nodes such as [SynchronizedBeforeSuite] are not specs) and the failed ones. */
export function e2eSpecs(file: string): { ran: Case[]; failed: Case[] } {
  const doc = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (n) => n === 'testcase' || n === 'testsuite',
  }).parse(readFileSync(file, 'utf8'));
  const cases: Case[] = doc.testsuites
    ? doc.testsuites.testsuite.flatMap((s: { testcase?: Case[] }) => s.testcase ?? [])
    : doc.testsuite[0].testcase;
  const ran = cases.filter(
    (c) =>
      c.skipped === undefined &&
      c.status !== 'skipped' &&
      !/^\[(Synchronized)?(Before|After)Suite\]|^\[Report(Before|After)Suite\]/.test(c.name),
  );
  return { ran, failed: ran.filter((c) => c.failure !== undefined) };
}
