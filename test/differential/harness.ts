// Runs one command line twice — the original Go kubetest and ours — in identical scratch trees whose
// kubernetes/hack, cluster/ scripts and PATH tools (gcloud, gsutil, kubectl, kind, kops) are recording stubs
// (test/fixtures/recorder.mjs), and returns what each did: exit, junit cases, metadata.json, every stub call
// (argv, selected env, cwd, in order), signal events, files created, processes left behind.
// No network: HTTP(S)_PROXY points at a loopback server that records and refuses (see proxy.ts).
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { isAlive } from '../../src/process/proctable.js';
import { KUBETEST, REPO } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

export interface Behavior {
  /** Applies when argv joined by spaces contains this (first match wins). */
  match?: string;
  exit?: number;
  stdout?: string;
  /** The Nth call prints the Nth entry (the last one after that). */
  stdoutSeq?: string[];
  sleepMs?: number;
  trap?: boolean;
  trapMs?: number;
  trapExit?: number;
  grandchild?: boolean;
  mkdir?: string[];
}

export interface Case {
  name: string;
  /** @ROOT@ is replaced by the scratch root. */
  args: string[];
  env?: Record<string, string>;
  behaviors?: Record<string, Behavior | Behavior[]>;
  /** Files to create (relative to the root) before the run. */
  files?: Record<string, string>;
  /** Where kubetest starts: kubernetes/ (default, as CI jobs do after extract) or the root. */
  cwd?: 'kubernetes' | 'root';
  /** Send a signal to the launcher once `tool` has been called, after delayMs. */
  signal?: { sig: 'SIGINT' | 'SIGTERM'; tool: string; delayMs?: number };
  /** Documented differences (docs/compatibility.md ids); each asserts the difference, then evens it out. */
  diffs?: string[];
  /** Do not create <root>/dump before the run. */
  noDumpDir?: boolean;
  /** Hard cap for one run. */
  capMs?: number;
}

export interface Call {
  tool: string;
  argv: string[];
  cwd: string;
  env: Record<string, string>;
}

export interface Obs {
  exit: string;
  junit: Array<{ name: string; result: 'ok' | 'failed' | 'skipped'; message: string }> | null;
  metadata: Record<string, unknown> | null;
  calls: Call[];
  events: Array<{ tool: string; ev: string }>;
  files: string[];
  /** Stub processes (and their grandchildren) still alive after the launcher exited. */
  orphans: number;
  stderr: string;
  ms: number;
}

const TOOLS: Record<string, string> = {
  'kubernetes/hack/e2e-internal/e2e-up.sh': 'e2e-up.sh',
  'kubernetes/hack/e2e-internal/e2e-down.sh': 'e2e-down.sh',
  'kubernetes/hack/e2e-internal/e2e-status.sh': 'e2e-status.sh',
  'kubernetes/hack/ginkgo-e2e.sh': 'ginkgo-e2e.sh',
  'kubernetes/cluster/kubectl.sh': 'kubectl.sh',
  'kubernetes/cluster/log-dump/log-dump.sh': 'log-dump.sh',
  'kubernetes/cluster/gce/list-resources.sh': 'list-resources.sh',
  'bin/gcloud': 'gcloud',
  'bin/gsutil': 'gsutil',
  'bin/kubectl': 'kubectl',
  'bin/kind': 'kind',
  'bin/kops': 'kops',
  // kubetest runs these too (pip install awscli for aws, go env for kind): never the real ones here.
  'bin/pip': 'pip',
  'bin/go': 'go',
  'bin/docker': 'docker',
  'bin/aws': 'aws',
  'bin/testcmd': 'testcmd',
  'bin/pretest': 'pretest',
  'bin/posttest': 'posttest',
  'get-kube.sh': 'get-kube.sh',
};

/** Env vars whose values the two must agree on, for every stub call (absent in both is agreement too). */
export const COMPARED_ENV = [
  'KUBERNETES_PROVIDER',
  'CLUSTER_NAME',
  'KUBECTL',
  'KUBE_CONFIG_FILE',
  'KUBE_RUNTIME_CONFIG',
  'GINKGO_PARALLEL',
  'GINKGO_PARALLEL_NODES',
  'PROJECT',
  'ZONE',
  'KUBE_GCE_ZONE',
  'REGION',
  'KUBE_GCE_NETWORK',
  'KUBE_GKE_NETWORK',
  'NUM_NODES',
  'NODE_SIZE',
  'MASTER_SIZE',
  'KUBE_MASTER_OS_DISTRIBUTION',
  'KUBE_NODE_OS_DISTRIBUTION',
  'NODE_OS_DISTRIBUTION',
  'CLOUDSDK_CORE_PRINT_UNHANDLED_TRACEBACKS',
  'CLUSTER_IP_RANGE',
  'KUBE_ENABLE_NODE_LOGGING',
  'KUBECONFIG',
  'KUBERNETES_CONFORMANCE_TEST',
  'KUBERNETES_RELEASE',
  'KUBERNETES_RELEASE_URL',
  'MY_VAR',
  'BUILD_METADATA_FOO',
];

export interface Scratch {
  root: string;
  cwd: string;
}

export function makeScratch(c: Case, label: string): Scratch {
  const root = tempDir(`diff-${label}`);
  const recorder = join(REPO, 'test', 'fixtures', 'recorder.mjs');
  for (const [rel, tool] of Object.entries(TOOLS)) {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, `#!/bin/sh\nexec '${process.execPath}' '${recorder}' '${root}' '${tool}' "$@"\n`);
    chmodSync(p, 0o755);
  }
  for (const k of ['google_compute_engine', 'kube_aws_rsa']) {
    mkdirSync(join(root, 'home', '.ssh'), { recursive: true });
    writeFileSync(join(root, 'home', '.ssh', k), 'key\n', { mode: 0o600 });
    writeFileSync(join(root, 'home', '.ssh', `${k}.pub`), 'ssh-rsa AAAA test\n');
  }
  writeFileSync(join(root, 'behaviors.json'), JSON.stringify(c.behaviors ?? {}));
  // kubetest never creates --dump (it fails at the end when it is missing): jobs point it at an existing dir.
  if (!c.noDumpDir) mkdirSync(join(root, 'dump'));
  for (const [rel, body] of Object.entries(c.files ?? {})) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), body.replaceAll('@ROOT@', root));
  }
  return { root, cwd: c.cwd === 'root' ? root : join(root, 'kubernetes') };
}

function walk(dir: string, root: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    const rel = relative(root, p);
    if (statSync(p).isDirectory()) {
      out.push(`${rel}/`);
      walk(p, root, out);
    } else out.push(rel);
  }
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function records(root: string): Array<Record<string, unknown>> {
  const f = join(root, 'rec.jsonl');
  if (!existsSync(f)) return [];
  return readFileSync(f, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

export function readJunit(file: string): Obs['junit'] {
  if (!existsSync(file)) return null;
  const doc = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (n) => n === 'testcase',
  }).parse(readFileSync(file, 'utf8'));
  const cases = (doc.testsuite?.testcase ?? []) as Array<Record<string, unknown>>;
  return cases.map((tc) => ({
    name: String(tc['name'] ?? ''),
    result: tc['failure'] !== undefined ? 'failed' : tc['skipped'] !== undefined ? 'skipped' : 'ok',
    message: String(tc['failure'] ?? tc['skipped'] ?? ''),
  }));
}

/** Runs `launcher` (argv prefix) for case c in a fresh scratch tree; proxy is the loopback proxy URL. */
export function observe(launcher: string[], c: Case, label: string, proxy: string): Promise<Obs> {
  return observeIn(launcher, c, makeScratch(c, label), proxy);
}

/** Like observe, in a scratch tree made before (split invocations run one after another in one tree). */
export async function observeIn(launcher: string[], c: Case, s: Scratch, proxy: string): Promise<Obs> {
  writeFileSync(join(s.root, 'behaviors.json'), JSON.stringify(c.behaviors ?? {}));
  const sub = (x: string) => x.replaceAll('@ROOT@', s.root);
  const before = new Set(walk(s.root, s.root));
  const env: NodeJS.ProcessEnv = {
    PATH: `${join(s.root, 'bin')}:/usr/local/bin:/usr/bin:/bin`,
    HOME: join(s.root, 'home'),
    GOPATH: join(s.root, 'gopath'),
    HTTP_PROXY: proxy,
    HTTPS_PROXY: proxy,
    http_proxy: proxy,
    https_proxy: proxy,
    KUBETEST_CACHE_DIR: join(s.root, 'cache'),
    ...Object.fromEntries(Object.entries(c.env ?? {}).map(([k, v]) => [k, sub(v)])),
  };
  const t0 = Date.now();
  const child = spawn(launcher[0]!, [...launcher.slice(1), ...c.args.map(sub)], {
    cwd: s.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stderr += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  const cap = setTimeout(() => child.kill('SIGKILL'), c.capMs ?? 30_000);
  if (c.signal) {
    const sig = c.signal;
    void (async () => {
      const until = Date.now() + 15_000;
      while (Date.now() < until && !records(s.root).some((r) => r['tool'] === sig.tool && r['ev'] === 'call')) {
        await sleep(25);
      }
      await sleep(sig.delayMs ?? 300);
      child.kill(sig.sig);
    })();
  }
  const r = await done;
  clearTimeout(cap);
  const ms = Date.now() - t0;
  await sleep(c.signal ? 150 : 30);
  const recs = records(s.root);
  // Whatever the run left behind is counted, then ended (they are this test's processes).
  const pids = recs.flatMap((x) => [x['pid'], x['grandchild']]).filter((p): p is number => typeof p === 'number');
  const left = pids.filter((p) => isAlive(p));
  for (const p of left) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  const norm = (x: string) => x.replaceAll(s.root, '<ROOT>');
  const calls: Call[] = recs
    .filter((x) => x['ev'] === 'call')
    .map((x) => {
      const e = x['env'] as Record<string, string>;
      return {
        tool: String(x['tool']),
        argv: (x['argv'] as string[]).map(norm),
        cwd: norm(String(x['cwd'])),
        env: Object.fromEntries(COMPARED_ENV.filter((k) => e[k] !== undefined).map((k) => [k, norm(e[k]!)])),
      };
    });
  const dumpDir = join(s.root, 'dump');
  const meta = join(dumpDir, 'metadata.json');
  const after = walk(s.root, s.root).filter((f) => !before.has(f) && f !== 'rec.jsonl');
  return {
    exit: r.code !== null ? String(r.code) : `signal ${r.signal}`,
    junit:
      readJunit(join(dumpDir, 'junit_runner.xml'))?.map((j) => ({
        ...j,
        name: norm(j.name),
        message: norm(j.message),
      })) ?? null,
    metadata: existsSync(meta) ? (JSON.parse(readFileSync(meta, 'utf8')) as Record<string, unknown>) : null,
    calls,
    events: recs.filter((x) => x['ev'] !== 'call').map((x) => ({ tool: String(x['tool']), ev: String(x['ev']) })),
    files: after.sort(),
    orphans: left.length,
    stderr: norm(stderr),
    ms,
  };
}

export const OURS = [process.execPath, KUBETEST];

/** Runs f over items, at most n at a time, keeping the order of the results. */
export async function pool<T, R>(items: T[], n: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await f(items[i]!);
      }
    }),
  );
  return out;
}
