// Deployers whose verbs are fixed command sequences (cloud CLIs, cluster scripts). The same list is what
// --dry-run prints and what runs, so the plan tests cover exactly what a real cloud run would execute.
import type { StepContext, StepOutput } from '../api/context.js';
import type { Deployer, PlannedVerb } from '../api/deployer.js';

export type Verb = PlannedVerb;

/** Stands for the project a Boskos lease brings ($PROJECT at run time) in commands planned without one. */
export const LEASED_PROJECT = '<leased project>';

function withProject(argv: string[], sc: StepContext): string[] {
  if (!argv.some((a) => a.includes(LEASED_PROJECT))) return argv;
  const project = sc.env['PROJECT'];
  if (!project) throw new Error('no GCP project: give --gcp-project, or let kubetest lease one from Boskos');
  return argv.map((a) => a.split(LEASED_PROJECT).join(project));
}

export interface PlannedCommand {
  argv: string[];
  /** Extra env for this command only. */
  env?: Record<string, string>;
  /** Failure is logged, not fatal (e.g. log export). */
  optional?: boolean;
  /** Run only if this returns true at run time (e.g. "cluster exists"). */
  onlyIf?: (sc: StepContext) => Promise<boolean>;
}

export abstract class CommandDeployer implements Deployer {
  abstract readonly name: string;
  protected abstract commands(verb: Verb, dumpDir?: string): PlannedCommand[];

  plannedCommands(verb: Verb): string[][] {
    return this.commands(verb, '<dump>').map((c) => c.argv);
  }

  /** Runs one planned command: the leased project in place of LEASED_PROJECT. */
  protected exec(sc: StepContext, argv: string[], opts: Parameters<StepContext['exec']>[1] = {}) {
    return sc.exec(withProject(argv, sc), opts);
  }

  protected async runAll(sc: StepContext, verb: Verb, dumpDir?: string): Promise<void> {
    for (const c of this.commands(verb, dumpDir)) {
      if (c.onlyIf && !(await c.onlyIf(sc))) continue;
      try {
        await this.exec(sc, c.argv, c.env ? { env: { ...sc.env, ...c.env } } : {});
      } catch (e) {
        if (!c.optional) throw e;
        sc.log(`ignored: ${(e as Error).message}`);
      }
    }
  }

  up(sc: StepContext): Promise<void> {
    return this.runAll(sc, 'up');
  }
  isUp(sc: StepContext): Promise<void> {
    return this.runAll(sc, 'isUp');
  }
  dumpClusterLogs(sc: StepContext, dir: string): Promise<void> {
    return this.runAll(sc, 'dump', dir);
  }
  async testSetup(sc: StepContext): Promise<StepOutput | void> {
    await this.runAll(sc, 'testSetup');
  }
  down(sc: StepContext): Promise<void> {
    return this.runAll(sc, 'down');
  }
}
