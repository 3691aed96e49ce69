// The Boskos lease of a GCP job without --gcp-project (../shared/reference/kubetest.md §11), with what kubetest
// and kubetest2 get wrong fixed: the URL is a flag; the lease is released on every exit path (failed Up,
// --timeout, signals: a final step); a lease refused mid-run fails the run; and split invocations keep it:
// `--up` without `--down` hands it to a detached heartbeat recorded in the run state, which a later `--test`
// or `--down` in the same run dir picks up (`--down` stops the heartbeat and releases).
import type { RunContext } from '../context.js';
import type { Held } from './lease-run.js';
import { ok, type RunState, type Step } from '../step.js';

// What runs a lease (the Boskos client, the run state, the heartbeat) loads only in runs that lease.
const running = () => import('./lease-run.js');

/** kubetest leases a GCP project when the provider is gce/gke/node (gke always needs one) and none is given. */
export function plannedLease({ cfg }: RunContext): { type: string; server: string } | null {
  const gcp = ['gce', 'gke', 'node'].includes(cfg.provider) || cfg.deployment === 'gke';
  if (!gcp || cfg.gcp.project) return null;
  const gke = cfg.provider === 'gke' || cfg.deployment === 'gke';
  return { type: cfg.gcpProjectType || (gke ? 'gke-project' : 'gce-project'), server: cfg.boskos.url };
}

export function leaseSteps(ctx: RunContext): { acquire: Step[]; release: Step[] } {
  const planned = plannedLease(ctx);
  if (!planned) return { acquire: [], release: [] };
  const { cfg } = ctx;
  let held: Held | undefined;

  const acquire: Step = {
    id: 'boskos-acquire',
    name: 'Boskos Acquire',
    abortOnFailure: true,
    run: async (sc) => {
      const { startHeartbeat, takeLease } = await running();
      held = await takeLease(sc, ctx, planned.type);
      held.beat = startHeartbeat(held.client, held.lease.name, cfg.boskos.heartbeatMs, sc.log);
      return { env: { PROJECT: held.lease.name } };
    },
  };
  // Kept for later invocations unless this one tears down: a lease an earlier --up recorded stays (even when
  // this run was interrupted: that cluster still needs its --down); a fresh one stays when this run brought a
  // cluster up and leaves it. A failed or interrupted --up releases it dirty (Boskos' janitor cleans it).
  const keeps = (state: RunState) =>
    !cfg.down && (held?.fromState === true || (cfg.up && ok(state, 'up') && ctx.control.state === 'running'));
  // Decided once, when the first of the two steps comes up: a signal between them must not make both run.
  let decision: 'keep' | 'release' | undefined;
  const decide = (state: RunState) =>
    (decision ??= held?.lostAtStart !== undefined || !keeps(state) ? 'release' : 'keep');
  // Both end the invocation's hold on the run dir, whatever happens to the lease.
  const finalStep = (which: 'keep' | 'release', name: string): Step => ({
    id: `boskos-${which}`,
    name,
    cleanup: true,
    final: 'always',
    when: (state) => held !== undefined && decide(state) === which,
    run: async (sc) => {
      try {
        const r = await running();
        await (which === 'keep' ? r.handOff(sc, ctx, held!) : r.releaseLease(sc, held!));
      } finally {
        held!.unlock();
      }
    },
  });
  const keep = finalStep('keep', 'Boskos Keep');
  const release = finalStep('release', 'Boskos Release');
  // Without --down the lease may be kept; with it, it is always released.
  return { acquire: [acquire], release: cfg.down ? [release] : [keep, release] };
}
