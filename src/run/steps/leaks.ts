// --check-leaked-resources (../shared/reference/kubetest.md §12): listings Before (after TearDown Previous),
// cluster-up, cluster-down (before teardown) and After (after teardown), saved as <lister>-resources-*.txt in
// the dump dir (else the run dir), and the Before-vs-After verdict: every resource After has that Before had
// not is a leak, listed in <lister>-resources-diff.txt and in the failure. Listers: `gcp` (kubetest's
// ./cluster/gce/list-resources.sh, in the project) and `local` (processes, ports, cluster dirs and mounts of the
// run, for --deployment=local).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StepFailure } from '../../process/errors.js';
import { countLines, formatListing, leaked, parseListing, type Listing } from '../../leaks/snapshot.js';
import { writeFileAtomic } from '../../util/atomic.js';
import { printable } from '../../util/printable.js';
import { sleep } from '../../util/sleep.js';
import type { RunContext } from '../context.js';
import { ok, type RunStepContext, type Step } from '../step.js';

const GCP_LISTER = ['./cluster/gce/list-resources.sh'];

interface Lister {
  name: 'gcp' | 'local';
  list(sc: RunStepContext): Promise<Listing>;
  /** Cloud listings lag behind deletions: kubetest waits 30 s after teardown. */
  settleMs: number;
}

function listerFor(ctx: RunContext): Lister {
  if (ctx.cfg.deployment === 'local') {
    const scope = { workDir: ctx.workDir, runDir: ctx.runDir };
    return { name: 'local', list: async () => (await import('../../leaks/local.js')).listLocal(scope), settleMs: 0 };
  }
  return {
    name: 'gcp',
    settleMs: ctx.cfg.knobs.leakSettleMs,
    list: async (sc) => {
      if (!sc.env['PROJECT']) throw new StepFailure('listing GCP resources needs a project (--gcp-project)');
      const out = (await sc.exec(GCP_LISTER, { captureStdout: true })).stdout;
      return parseListing(out);
    },
  };
}

const fileOf = (ctx: RunContext, lister: Lister, stage: string) =>
  join(ctx.reportDirs[0] ?? ctx.runDir, `${lister.name}-resources-${stage}.txt`);

function listing(ctx: RunContext, lister: Lister, id: string, name: string, stage: string, settle = false): Step {
  return {
    id,
    name,
    commands: () => (lister.name === 'gcp' ? [GCP_LISTER] : []),
    run: async (sc) => {
      if (settle && lister.settleMs > 0) {
        sc.log(`waiting ${lister.settleMs / 1000}s for the cloud to settle`);
        await sleep(lister.settleMs, sc.signal);
      }
      const l = await lister.list(sc);
      const file = fileOf(ctx, lister, stage);
      writeFileAtomic(file, formatListing(l));
      sc.log(`${countLines(l)} resources listed in ${file}`);
    },
  };
}

export const leaksBeforeSteps = (ctx: RunContext): Step[] =>
  ctx.cfg.checkLeakedResources ? [listing(ctx, listerFor(ctx), 'leaks-before', 'listResources Before', 'before')] : [];

export const leaksUpSteps = (ctx: RunContext): Step[] =>
  ctx.cfg.checkLeakedResources && ctx.cfg.up
    ? [listing(ctx, listerFor(ctx), 'leaks-up', 'listResources Up', 'cluster-up')]
    : [];

export const leaksDownSteps = (ctx: RunContext): Step[] =>
  ctx.cfg.checkLeakedResources
    ? [{ ...listing(ctx, listerFor(ctx), 'leaks-down', 'listResources Down', 'cluster-down'), cleanup: true }]
    : [];

export function leaksAfterSteps(ctx: RunContext): Step[] {
  const { cfg } = ctx;
  if (!cfg.checkLeakedResources) return [];
  const lister = listerFor(ctx);
  const after = listing(ctx, lister, 'leaks-after', 'listResources After', 'after', true);
  return [
    { ...after, cleanup: true, when: (s) => !cfg.down || ok(s, 'teardown') },
    {
      id: 'leaks-diff',
      name: 'diffResources',
      cleanup: true,
      requires: ['leaks-before', 'leaks-after'],
      run: async (sc) => diffStep(sc, ctx, lister),
    },
  ];
}

async function diffStep(sc: RunStepContext, ctx: RunContext, lister: Lister): Promise<void> {
  const read = (stage: string) => {
    const f = fileOf(ctx, lister, stage);
    if (!existsSync(f)) throw new StepFailure(`${f} is missing`);
    return parseListing(readFileSync(f, 'utf8'));
  };
  const leaks = leaked(read('before'), read('after'));
  const n = countLines(leaks);
  const file = fileOf(ctx, lister, 'diff');
  const report = n ? `Error: ${n} leaked resources\n${formatListing(leaks)}` : '';
  writeFileAtomic(file, report);
  if (!n) {
    sc.log('no leaked resources');
    return;
  }
  // The one-line failure shows the lister's words without control characters (a terminal escape in a listing).
  const first = [...leaks].flatMap(([g, lines]) => lines.map((l) => printable(`${g} ${l}`)));
  const shown = first.slice(0, 5).join('; ') + (first.length > 5 ? `; … (${file})` : '');
  throw new StepFailure(`${n} leaked resources: ${shown}`, report);
}
