// --check-leaked-resources: the four listings and the diff, at kubetest's places in the lifecycle.
import type { RunContext } from '../context.js';
import { ok, type Step } from '../step.js';

const listing = (id: string, name: string): Step => ({
  id,
  name,
  run: async () => {
    throw new Error('--check-leaked-resources is not implemented yet');
  },
});

export const leaksBeforeSteps = ({ cfg }: RunContext): Step[] =>
  cfg.checkLeakedResources ? [listing('leaks-before', 'listResources Before')] : [];

export const leaksUpSteps = ({ cfg }: RunContext): Step[] =>
  cfg.checkLeakedResources && cfg.up ? [listing('leaks-up', 'listResources Up')] : [];

export const leaksDownSteps = ({ cfg }: RunContext): Step[] =>
  cfg.checkLeakedResources ? [{ ...listing('leaks-down', 'listResources Down'), cleanup: true }] : [];

export function leaksAfterSteps({ cfg }: RunContext): Step[] {
  if (!cfg.checkLeakedResources) return [];
  return [
    { ...listing('leaks-after', 'listResources After'), cleanup: true, when: (s) => !cfg.down || ok(s, 'teardown') },
    { ...listing('leaks-diff', 'diffResources'), cleanup: true, requires: ['leaks-before', 'leaks-after'] },
  ];
}
