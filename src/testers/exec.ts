// --test-cmd / --test-cmd-args, and --pre-test-cmd / --post-test-cmd (kubetest reference §1, §2).
import { expandEnv } from '../cli/goflags.js';
import { list, splitFields, str, type RunConfig } from '../cli/config.js';

/** --test-cmd is env-expanded but not split (one executable); each --test-cmd-args is one argument. */
export function testCmdArgv(cfg: RunConfig, env: NodeJS.ProcessEnv): string[] {
  return [expandEnv(str(cfg, 'test-cmd'), env), ...list(cfg, 'test-cmd-args')];
}

/** --pre-test-cmd and --post-test-cmd are env-expanded, then split on whitespace (no quoting). */
export function hookArgv(raw: string, env: NodeJS.ProcessEnv): string[] {
  return splitFields(expandEnv(raw, env));
}
