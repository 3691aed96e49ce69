// Failpoints for the fault-injection tests (test/integration/faults.test.ts): KUBETEST_FAILPOINTS=step=action,...
// makes a step fail, crash its child, hang (before its body, or after it: Up with a running cluster), or pause
// 3 s before its body (time for a test to change the world under the step: fill the disk).
// Read once per run; an unknown step action is a usage error. Not for production use.
import { UsageError } from '../api/errors.js';
import type { RunStepContext } from './step.js';

export type FailAction = 'fail' | 'crash' | 'hang' | 'hang-after' | 'pause';
const ACTIONS: readonly FailAction[] = ['fail', 'crash', 'hang', 'hang-after', 'pause'];

export type Failpoints = ReadonlyMap<string, FailAction>;

export function parseFailpoints(raw: string | undefined): Failpoints {
  const out = new Map<string, FailAction>();
  for (const item of (raw ?? '').split(',').filter(Boolean)) {
    const [step, action] = item.split('=');
    if (!step || !ACTIONS.includes(action as FailAction))
      throw new UsageError(
        `invalid KUBETEST_FAILPOINTS entry ${JSON.stringify(item)}: want <step id>=${ACTIONS.join('|')}`,
      );
    out.set(step, action as FailAction);
  }
  return out;
}

/** Runs what the failpoint asks at its place ('before' or 'after' the step's body). */
export async function hitFailpoint(sc: RunStepContext, action: FailAction, at: 'before' | 'after'): Promise<void> {
  if ((action === 'hang-after') !== (at === 'after')) return;
  sc.log(`failpoint: ${action}`);
  switch (action) {
    case 'fail':
      throw new Error('failpoint: fail');
    case 'crash':
      await sc.exec([process.execPath, '-e', "process.kill(process.pid, 'SIGSEGV')"]);
      return;
    case 'hang':
    case 'hang-after':
      await sc.exec(['sleep', '3600']);
      return;
    case 'pause':
      await sc.exec(['sleep', '3']);
      return;
  }
}
