// What an upstream e2e.test run reported in its junit_01.xml: the specs that ran, and those that failed.
import { readE2eJunit, type SpecResult } from '../../src/report/e2e-junit.js';

/** Specs that ran (suite-level nodes such as [SynchronizedBeforeSuite] are not specs) and the failed ones. */
export function e2eSpecs(file: string): { ran: SpecResult[]; failed: SpecResult[] } {
  const ran = readE2eJunit(file).filter((c) => !c.suiteNode && c.status !== 'skipped');
  return { ran, failed: ran.filter((c) => c.status === 'failed') };
}
