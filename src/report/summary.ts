// summary.json: the run's facts for machines — steps with their times and results, e2e spec counts and
// failed specs, versions, exit code and why. Its JSON Schema is docs/summary.schema.json.
import { relative } from 'node:path';
import type { E2eResults, SpecResult, SpecStatus } from './e2e-junit.js';

export const SUMMARY_SCHEMA = 'kubetest-summary/v1';

export type StepOutcome = 'passed' | 'failed' | 'skipped';

export interface StepRecord {
  id: string;
  name: string;
  status: 'ok' | 'failed' | 'skipped';
  /** Since the run started. */
  startMs: number;
  durationMs: number;
  message?: string | undefined;
  output?: string | undefined;
  logFile?: string | undefined;
}

export interface SummaryInput {
  argv: readonly string[];
  deployment: string;
  provider: string;
  startedAt: number;
  finishedAt: number;
  result: 'SUCCESS' | 'FAILURE' | 'ABORTED';
  exitCode: number;
  reason: string;
  kubetestVersion: string;
  kubernetesVersion: string;
  extracted: ReadonlyArray<{ arg: string; version: string }>;
  /** The flags the command line (or --config) set, by name. */
  config: Readonly<Record<string, unknown>>;
  steps: readonly StepRecord[];
  e2e: E2eResults | undefined;
}

export interface SummaryStep {
  id: string;
  name: string;
  status: StepOutcome;
  startSeconds: number;
  durationSeconds: number;
  message?: string;
  log?: string;
}

export interface SummarySpec {
  name: string;
  suite: string;
  seconds: number;
  message?: string;
  file: string;
}

export interface Summary {
  schema: typeof SUMMARY_SCHEMA;
  kubetestVersion: string;
  command: string[];
  deployment: string;
  provider: string;
  startedAt: string;
  finishedAt: string;
  durationSeconds: number;
  result: SummaryInput['result'];
  exitCode: number;
  reason: string;
  versions: { kubernetes: string; extracted: Array<{ arg: string; version: string }> };
  config: Record<string, unknown>;
  steps: SummaryStep[];
  e2e: {
    files: string[];
    counts: SpecCounts;
    failed: SummarySpec[];
    slowest: SummarySpec[];
    bySig: Array<{ sig: string; passed: number; failed: number; skipped: number }>;
    problems: string[];
  } | null;
}

const SLOWEST = 20;
const secs = (ms: number) => Math.round(ms) / 1000;
const outcome = (s: StepRecord['status']): StepOutcome => (s === 'ok' ? 'passed' : s);

/** A path as the report in `dir` links it: relative when it is below dir, else absolute. */
export function linkFrom(dir: string, path: string): string {
  const rel = relative(dir, path);
  return rel.startsWith('..') || rel === '' ? path : rel;
}

export function buildSummary(input: SummaryInput, reportDir: string): Summary {
  const steps = input.steps.map((s) => {
    const step: SummaryStep = {
      id: s.id,
      name: s.name,
      status: outcome(s.status),
      startSeconds: secs(s.startMs),
      durationSeconds: secs(s.durationMs),
    };
    if (s.message !== undefined) step.message = s.message;
    if (s.logFile !== undefined) step.log = linkFrom(reportDir, s.logFile);
    return step;
  });
  return {
    schema: SUMMARY_SCHEMA,
    kubetestVersion: input.kubetestVersion,
    command: [...input.argv],
    deployment: input.deployment,
    provider: input.provider,
    startedAt: new Date(input.startedAt).toISOString(),
    finishedAt: new Date(input.finishedAt).toISOString(),
    durationSeconds: secs(input.finishedAt - input.startedAt),
    result: input.result,
    exitCode: input.exitCode,
    reason: input.reason,
    versions: { kubernetes: input.kubernetesVersion, extracted: input.extracted.map((e) => ({ ...e })) },
    config: { ...input.config },
    steps,
    e2e: input.e2e ? e2eSection(input.e2e, reportDir) : null,
  };
}

function e2eSection(r: E2eResults, dir: string): NonNullable<Summary['e2e']> {
  const spec = (c: E2eResults['cases'][number]): SummarySpec => ({
    name: c.name,
    suite: c.suite,
    seconds: c.seconds,
    ...(c.message !== undefined ? { message: c.message } : {}),
    file: linkFrom(dir, c.file),
  });
  const bySig = new Map<string, { sig: string; passed: number; failed: number; skipped: number }>();
  for (const c of r.cases) {
    if (c.suiteNode) continue;
    const sig = sigOf(c.name);
    const row = bySig.get(sig) ?? { sig, passed: 0, failed: 0, skipped: 0 };
    row[c.status]++;
    bySig.set(sig, row);
  }
  const ran = r.cases.filter((c) => !c.suiteNode && c.status !== 'skipped');
  return {
    files: r.files.map((f) => linkFrom(dir, f)),
    counts: countSpecs(r.cases),
    failed: failedCases(r.cases).map(spec),
    slowest: [...ran]
      .sort((a, b) => b.seconds - a.seconds)
      .slice(0, SLOWEST)
      .map((c) => ({ name: c.name, suite: c.suite, seconds: c.seconds, file: linkFrom(dir, c.file) })),
    bySig: [...bySig.values()].sort((a, b) => (a.sig < b.sig ? -1 : a.sig > b.sig ? 1 : 0)),
    problems: [...r.problems],
  };
}

export interface SpecCounts {
  /** Specs in the suite, skipped ones included (ginkgo's "of Y"). */
  total: number;
  ran: number;
  passed: number;
  failed: number;
  skipped: number;
}

export function countSpecs(cases: readonly SpecResult[]): SpecCounts {
  const specs = cases.filter((c) => !c.suiteNode);
  const n = (s: SpecStatus) => specs.filter((c) => c.status === s).length;
  const skipped = n('skipped');
  return { total: specs.length, ran: specs.length - skipped, passed: n('passed'), failed: n('failed'), skipped };
}

/** The failed specs, and failed suite nodes (a failed BeforeSuite fails every spec). */
export function failedCases(cases: readonly SpecResult[]): SpecResult[] {
  return cases.filter((c) => c.status === 'failed');
}

/** "[sig-node]" of "[It] [sig-node] Pods ..."; specs without one are grouped under "other". */
export function sigOf(name: string): string {
  return /\[(sig-[\w-]+)\]/.exec(name)?.[1] ?? 'other';
}
