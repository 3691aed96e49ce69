// --rerun-failed=<artifacts dir or junit file>: a ginkgo focus that selects exactly the specs that failed
// there. Ginkgo matches --ginkgo.focus against "<suite description> <spec text>"; a junit testcase is named
// "[It] <spec text>" with the suite description as its classname, so the focus is both, regex-quoted and
// anchored at both ends: no other spec (say one whose name only starts the same) is selected.
import { statSync } from 'node:fs';
import { findE2eJunits, readE2eJunit, type SpecResult } from '../report/e2e-junit.js';
import type { RunConfig } from '../run/config.js';
import { UsageError } from './goflags.js';

/** The kernel refuses longer single arguments (MAX_ARG_STRLEN is 128 KiB). */
export const MAX_FOCUS_CHARS = 100_000;

/** Go's regexp.QuoteMeta: every RE2 metacharacter escaped, so the text matches only itself. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** The text ginkgo matches a focus against, from a junit testcase name ("[It] " is the reporter's). */
export function specText(junitName: string): string {
  return junitName.startsWith('[It] ') ? junitName.slice('[It] '.length) : junitName;
}

export function focusFor(failed: readonly SpecResult[]): string {
  const bySuite = new Map<string, Set<string>>();
  for (const s of failed) {
    const texts = bySuite.get(s.suite) ?? new Set<string>();
    texts.add(specText(s.name));
    bySuite.set(s.suite, texts);
  }
  const alternatives = [...bySuite].map(([suite, texts]) => {
    const body = [...texts].map(quoteMeta).join('|');
    return suite ? `${quoteMeta(suite)} (?:${body})` : `.*(?:${body})`;
  });
  return `^(?:${alternatives.join('|')})$`;
}

function failedIn(source: string): { failed: SpecResult[]; suiteFailures: SpecResult[]; files: string[] } {
  const what = `--rerun-failed=${source}`;
  let isDir: boolean;
  try {
    isDir = statSync(source).isDirectory();
  } catch {
    throw new UsageError(`${what}: no such file or directory`);
  }
  const files = isDir ? findE2eJunits(source) : [source];
  if (files.length === 0)
    throw new UsageError(`${what}: no junit*.xml from e2e in it (kubetest's junit_runner.xml aside)`);
  const cases: SpecResult[] = [];
  for (const f of files) {
    try {
      cases.push(...readE2eJunit(f));
    } catch (e) {
      throw new UsageError(`${what}: ${f}: ${(e as Error).message}`);
    }
  }
  const failed = cases.filter((c) => c.status === 'failed');
  return { failed: failed.filter((c) => !c.suiteNode), suiteFailures: failed.filter((c) => c.suiteNode), files };
}

/** --test_args without its focus (the failed specs replace it); `--ginkgo.focus X` spans two fields. */
export function withoutFocus(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (/^--?ginkgo\.focus$/.test(a)) {
      i++;
      continue;
    }
    if (/^--?ginkgo\.focus=/.test(a)) continue;
    out.push(a);
  }
  return out;
}

/** Narrows the run's e2e args to the specs that failed in cfg.rerunFailed; a UsageError when there are none. */
export function applyRerunFailed(cfg: RunConfig): { specs: number; files: string[] } {
  const source = cfg.rerunFailed;
  if (!cfg.test) throw new UsageError('--rerun-failed needs --test');
  const { failed, suiteFailures, files } = failedIn(source);
  if (failed.length === 0) {
    const why = suiteFailures.length
      ? `only ${suiteFailures.map((s) => s.name).join(', ')} failed there, which fails every spec: run the focus again`
      : 'no spec failed there';
    throw new UsageError(`--rerun-failed=${source}: nothing to rerun: ${why}`);
  }
  const focus = focusFor(failed);
  if (focus.length > MAX_FOCUS_CHARS) {
    throw new UsageError(
      `--rerun-failed=${source}: ${failed.length} failed specs make a focus of ${focus.length} characters, more ` +
        `than one argument may carry (${MAX_FOCUS_CHARS}): rerun the original focus instead`,
    );
  }
  cfg.testArgs = [...withoutFocus(cfg.testArgs), `--ginkgo.focus=${focus}`];
  return { specs: new Set(failed.map((f) => `${f.suite}\0${f.name}`)).size, files };
}
