// RunConfig → the ordered steps of kubetest's lifecycle (../shared/reference/kubetest.md §2), with §14's bugs
// fixed: publish runs once; no save of a deleted cluster; the dump dir is created; teardown is not run twice
// (only retried once if it failed); post-test command runs while the cluster is still up.
// The order is this list; each entry is a step module that decides whether (and which) steps it adds.
import type { RunContext } from './context.js';
import type { Step } from './step.js';
import {
  deferredTeardownSteps,
  dumpSteps,
  preTestDumpSteps,
  teardownPreviousSteps,
  teardownSteps,
  upSteps,
} from './steps/cluster.js';
import { deployerFinishSteps, deployerInitSteps } from './steps/deployer.js';
import { gcpPrepareSteps } from './steps/prepare.js';
import { leaseSteps } from './steps/lease.js';
import { leaksAfterSteps, leaksBeforeSteps, leaksDownSteps, leaksUpSteps } from './steps/leaks.js';
import { buildSteps, extractSteps, publishSteps, saveSteps, stageSteps } from './steps/release.js';
import { chartsSteps, e2eSteps, kubemarkSteps, postTestSteps, testCmdSteps, upgradeSteps } from './steps/test.js';

const LIFECYCLE: ReadonlyArray<(ctx: RunContext) => Step[]> = [
  gcpPrepareSteps,
  deployerInitSteps,
  buildSteps,
  stageSteps,
  extractSteps,
  teardownPreviousSteps,
  leaksBeforeSteps,
  upSteps,
  leaksUpSteps,
  upgradeSteps,
  preTestDumpSteps,
  e2eSteps,
  kubemarkSteps,
  testCmdSteps,
  postTestSteps,
  chartsSteps,
  dumpSteps,
  leaksDownSteps,
  teardownSteps,
  saveSteps,
  leaksAfterSteps,
  publishSteps,
  deferredTeardownSteps,
  deployerFinishSteps,
];

/** The lifecycle, inside the Boskos lease when the job needs one (acquired first, kept or released last). */
export function buildPlan(ctx: RunContext): Step[] {
  const lease = leaseSteps(ctx);
  const steps = LIFECYCLE.flatMap((steps) => steps(ctx));
  // Without the project nothing may run, not even cleanup: a teardown would use gcloud's default project.
  const inLease = lease.acquire.length
    ? steps.map((s) => ({ ...s, requires: [...(s.requires ?? []), 'boskos-acquire'] }))
    : steps;
  return [...lease.acquire, ...inLease, ...lease.release];
}
