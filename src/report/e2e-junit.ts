// Reads the junit files ginkgo (e2e.test) wrote into a report dir: which specs ran, passed, failed or were
// skipped, with their failure messages and (for failed specs) the tail of their log. Inputs are untrusted:
// sizes are bounded, a DOCTYPE (entity expansion) is refused, and a broken file is reported, not thrown.
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';

export type SpecStatus = 'passed' | 'failed' | 'skipped';

export interface SpecResult {
  /** The junit testcase name, e.g. "[It] [sig-node] Pods should ... [Conformance]". */
  name: string;
  /** The suite description (junit classname), e.g. "Kubernetes e2e suite". */
  suite: string;
  status: SpecStatus;
  seconds: number;
  /** Suite-level nodes ([SynchronizedBeforeSuite], [ReportAfterSuite] ...) are not specs. */
  suiteNode: boolean;
  message?: string;
  /** The tail of the spec's own log (ginkgo's system-err), for failed specs. */
  log?: string;
  file: string;
}

export interface E2eResults {
  files: string[];
  /** Every testcase of every file, in file order. */
  cases: SpecResult[];
  /** Files that could not be read, with why (too large, not junit, a DOCTYPE). */
  problems: string[];
}

/** Bigger junit files are not parsed (a 20 000-spec run with timelines is far smaller). */
export const MAX_JUNIT_BYTES = 256 * 1024 * 1024;
const MAX_MESSAGE_CHARS = 8 * 1024;
const MAX_LOG_CHARS = 64 * 1024;
const SUITE_NODE = /^\[(Synchronized)?(Before|After)Suite\]|^\[Report(Before|After)Suite\]/;

/** junit*.xml files directly in `dir` that ginkgo wrote (not kubetest's own junit_runner.xml), oldest first. */
export function findE2eJunits(dir: string, sinceMs = 0): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: Array<{ path: string; mtime: number }> = [];
  for (const n of names) {
    if (!/^junit.*\.xml$/.test(n) || n === 'junit_runner.xml') continue;
    const path = join(dir, n);
    try {
      const st = lstatSync(path);
      // A junit left in a reused --dump by an earlier run is not this run's.
      if (st.isFile() && st.mtimeMs >= sinceMs) out.push({ path, mtime: st.mtimeMs });
    } catch {
      // vanished
    }
  }
  return out.sort((a, b) => a.mtime - b.mtime || (a.path < b.path ? -1 : 1)).map((f) => f.path);
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  htmlEntities: true,
  parseAttributeValue: false,
  parseTagValue: false,
  isArray: (n) => n === 'testcase' || n === 'testsuite',
});

interface RawCase {
  name?: string;
  classname?: string;
  status?: string;
  time?: string;
  failure?: unknown;
  error?: unknown;
  skipped?: unknown;
  'system-err'?: unknown;
}

function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const body = typeof o['#text'] === 'string' ? o['#text'] : '';
    const msg = typeof o['message'] === 'string' ? o['message'] : '';
    return body || msg;
  }
  return String(v);
}

const head = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}\n[… ${s.length - n} more characters]` : s);
const tail = (s: string, n: number) => (s.length > n ? `[… ${s.length - n} characters before]\n${s.slice(-n)}` : s);

function toSpec(c: RawCase, file: string): SpecResult {
  const name = typeof c.name === 'string' ? c.name : '';
  const failed = c.failure !== undefined || c.error !== undefined || ['failed', 'panicked'].includes(c.status ?? '');
  const skipped = !failed && (c.skipped !== undefined || ['skipped', 'pending'].includes(c.status ?? ''));
  const seconds = Number(c.time);
  const spec: SpecResult = {
    name,
    suite: typeof c.classname === 'string' ? c.classname : '',
    status: failed ? 'failed' : skipped ? 'skipped' : 'passed',
    seconds: Number.isFinite(seconds) && seconds >= 0 ? seconds : 0,
    suiteNode: SUITE_NODE.test(name),
    file,
  };
  if (failed) {
    const message = text(c.failure ?? c.error) || `status ${c.status ?? 'failed'}`;
    spec.message = head(message.trim(), MAX_MESSAGE_CHARS);
    const log = text(c['system-err']);
    if (log) spec.log = tail(log, MAX_LOG_CHARS);
  }
  return spec;
}

/** One junit file's testcases; throws an Error whose message says why the file is not usable. */
export function readE2eJunit(file: string): SpecResult[] {
  const st = statSync(file);
  if (st.size > MAX_JUNIT_BYTES) throw new Error(`larger than ${MAX_JUNIT_BYTES} bytes`);
  const xml = readFileSync(file, 'utf8');
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new Error('has a DOCTYPE (refused: entity expansion)');
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(xml) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`not XML: ${(e as Error).message.split('\n')[0]}`);
  }
  const root = doc['testsuites'] as { testsuite?: Array<{ testcase?: RawCase[] }> } | undefined;
  const suites = root?.testsuite ?? (doc['testsuite'] as Array<{ testcase?: RawCase[] }> | undefined);
  if (!Array.isArray(suites)) throw new Error('no <testsuite> in it');
  return suites.flatMap((s) => (Array.isArray(s?.testcase) ? s.testcase : [])).map((c) => toSpec(c, file));
}

/** Every e2e junit in the report dir written since `sinceMs`. */
export function readE2eResults(dir: string, sinceMs = 0): E2eResults {
  const files = findE2eJunits(dir, sinceMs);
  const cases: SpecResult[] = [];
  const problems: string[] = [];
  const read: string[] = [];
  for (const f of files) {
    try {
      cases.push(...readE2eJunit(f));
      read.push(f);
    } catch (e) {
      problems.push(`${basename(f)}: ${(e as Error).message}`);
    }
  }
  return { files: read, cases, problems };
}
