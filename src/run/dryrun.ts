// --dry-run: the plan the engine would execute, as text or as one JSON object.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { formatArgv } from '../process/errors.js';
import { planExtracts } from '../release/extract-plan.js';
import { kubectlEnvValue } from './checks.js';
import type { RunContext } from './context.js';
import type { Step } from './step.js';
import { plannedLease } from './steps/lease.js';
import { compareBytes } from '../util/gostrings.js';

export interface PlanJson {
  steps: string[];
  deployment: string;
  provider: string;
  extract: Array<{ arg: string; markerUrl: string | null; releaseUrl: string; version: string | null; dir: string }>;
  timeoutSeconds: number | null;
  env: Record<string, string>;
  commands: Array<{ step: string; argv: string[] }>;
  /** The project kubetest would lease from Boskos (no --gcp-project), or null. */
  lease: { type: string; server: string } | null;
}

export function planJson(ctx: RunContext, allSteps: Step[]): PlanJson {
  const { cfg } = ctx;
  const steps = allSteps.filter((s) => !s.contingency);
  const env: Record<string, string> = { ...cfg.exportEnv, KUBECTL: kubectlEnvValue(ctx) };
  const commands: PlanJson['commands'] = [];
  const lease = plannedLease(ctx);
  for (const s of steps) for (const argv of s.commands?.() ?? []) commands.push({ step: s.name, argv });
  return {
    steps: steps.map((s) => s.name),
    deployment: cfg.deployment,
    provider: cfg.provider,
    extract: planExtracts(cfg).map((e) => ({
      arg: e.arg,
      markerUrl: e.markerUrl,
      releaseUrl: e.releaseUrl,
      version: e.version,
      dir: e.dir,
    })),
    timeoutSeconds: cfg.timeoutMs > 0 ? cfg.timeoutMs / 1000 : null,
    env: Object.fromEntries(Object.entries(env).sort(([a], [b]) => compareBytes(a, b))),
    commands,
    lease,
  };
}

export function planText(p: PlanJson): string {
  const out: string[] = [];
  out.push(
    `deployment: ${p.deployment}` +
      (p.provider ? `, provider: ${p.provider}` : '') +
      (p.timeoutSeconds ? `, timeout: ${p.timeoutSeconds}s` : ''),
  );
  if (p.lease) {
    out.push(`lease: a ${p.lease.type} from Boskos at ${p.lease.server} (no --gcp-project), exported as PROJECT`);
  }
  for (const e of p.extract) {
    out.push(
      `extract ${e.arg} → ${e.dir}/: ` +
        `${e.version ? `version ${e.version}` : `version from ${e.markerUrl}`}, release at ${e.releaseUrl}`,
    );
  }
  out.push('steps:');
  p.steps.forEach((s, i) => {
    out.push(`  ${String(i + 1).padStart(2)}. ${s}`);
    for (const c of p.commands.filter((c) => c.step === s)) out.push(`        $ ${formatArgv(c.argv)}`);
  });
  out.push('env exported to children:');
  for (const [k, v] of Object.entries(p.env)) out.push(`  ${k}=${v}`);
  return out.join('\n') + '\n';
}

/** In a dry run nothing is extracted yet: plan with the kube root the extract will create. */
export function plannedKubeRoot(ctx: RunContext): string {
  const sub = join(ctx.workDir, 'kubernetes');
  return ctx.cfg.extract.length > 0 || existsSync(sub) ? sub : ctx.kubeRoot;
}
