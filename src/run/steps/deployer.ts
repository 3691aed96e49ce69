// The deployer's optional capabilities as steps: Init first, and Finish on every exit path
// (a lease is released there), even after the cleanup grace is spent.
import { hasFinish, hasInit } from '../../api/deployer.js';
import type { RunContext } from '../context.js';
import type { Step } from '../step.js';

export function deployerInitSteps({ deployer }: RunContext): Step[] {
  if (!hasInit(deployer)) return [];
  return [{ id: 'deployer-init', name: 'Deployer Init', abortOnFailure: true, run: (sc) => deployer.init(sc) }];
}

export function deployerFinishSteps({ deployer }: RunContext): Step[] {
  if (!hasFinish(deployer)) return [];
  return [
    {
      id: 'deployer-finish',
      name: 'Deployer Finish',
      cleanup: true,
      final: 'always',
      run: (sc) => deployer.finish(sc),
    },
  ];
}
