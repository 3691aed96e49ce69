// --test-cmd / --test-cmd-args, and --pre-test-cmd / --post-test-cmd (../shared/reference/kubetest.md §1, §2).
import type { StepContext } from '../api/context.js';
import type { Tester, TestTarget } from '../api/tester.js';
import type { TestCommandOptions } from '../run/config.js';
import { expandEnv, splitFields } from '../util/gostrings.js';

/** --test-cmd is env-expanded but not split (one executable); each --test-cmd-args is one argument. */
export function testCmdArgv(o: TestCommandOptions, env: Readonly<NodeJS.ProcessEnv>): string[] {
  return [expandEnv(o.cmd, env), ...o.args];
}

/** --pre-test-cmd and --post-test-cmd are env-expanded, then split on whitespace (no quoting). */
export function hookArgv(raw: string, env: Readonly<NodeJS.ProcessEnv>): string[] {
  return splitFields(expandEnv(raw, env));
}

/** A command line as a tester: --test-cmd (named by --test-cmd-name), or a pre/post hook. */
export class ExecTester implements Tester {
  constructor(
    readonly stepName: string,
    private readonly argvOf: (env: Readonly<NodeJS.ProcessEnv>) => string[],
  ) {}

  static testCmd(o: TestCommandOptions): ExecTester {
    return new ExecTester(o.name || o.cmd, (env) => testCmdArgv(o, env));
  }

  static hook(stepName: string, raw: string): ExecTester {
    return new ExecTester(stepName, (env) => hookArgv(raw, env));
  }

  argv(t: TestTarget): string[] {
    return this.argvOf(t.env);
  }

  async run(sc: StepContext): Promise<void> {
    await sc.exec(this.argvOf(sc.env));
  }
}
