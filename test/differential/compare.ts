// Compares the two observations of one case. Documented differences (docs/compatibility.md) are asserted
// to be present, then evened out; whatever is left must be equal. Nothing is ignored silently.
import assert from 'node:assert/strict';
import type { Call, Case, Obs } from './harness.js';

export type Aspect = 'exit' | 'junit' | 'metadata' | 'calls' | 'files' | 'orphans';
export const ASPECTS: Aspect[] = ['exit', 'junit', 'metadata', 'calls', 'files', 'orphans'];

export interface Difference {
  /** What docs/compatibility.md calls it. */
  id: string;
  /** Asserts the documented difference on (orig, ours) and returns copies with it evened out. */
  apply(orig: Obs, ours: Obs, c: Case): void;
}

const arg = (c: Case, flag: string) =>
  c.args
    .find((a) => a.startsWith(`--${flag}=`))
    ?.slice(flag.length + 3)
    .replaceAll('@ROOT@', '<ROOT>');

const OUR_REPORTS = [
  'dump/finished.json',
  'dump/kubetest-steps/',
  'dump/report.html',
  'dump/started.json',
  'dump/summary.json',
];

export const DIFFERENCES: Difference[] = [
  {
    id: 'junit-prepare',
    apply(o, u) {
      assert.deepEqual(
        o.junit?.slice(0, 2).map((x) => x.name),
        ['Prepare', 'GetDeployer'],
        'kubetest starts junit with Prepare, GetDeployer',
      );
      assert.ok(!u.junit?.some((x) => x.name === 'GetDeployer'), 'ours has no GetDeployer case');
      // Ours reports Prepare only where it does something (GCP providers).
      o.junit!.splice(u.junit?.[0]?.name === 'Prepare' ? 1 : 0, u.junit?.[0]?.name === 'Prepare' ? 1 : 2);
    },
  },
  {
    id: 'test-cmd-name',
    apply(o, u, c) {
      const cmd = arg(c, 'test-cmd')!;
      const i = o.junit!.findIndex((x) => x.name === '');
      assert.ok(i >= 0, 'kubetest names the --test-cmd case "" when --test-cmd-name is unset');
      assert.equal(u.junit![i]?.name, cmd, 'ours names it after the command');
      u.junit![i]!.name = '';
    },
  },
  {
    id: 'deferred-teardown',
    apply(o) {
      const i = o.junit!.findIndex((x) => x.name === 'Deferred TearDown');
      assert.ok(i >= 0 && o.junit![i]!.result === 'ok', 'kubetest lists a no-op Deferred TearDown');
      o.junit!.splice(i, 1);
    },
  },
  {
    id: 'post-test-before-teardown',
    apply(o, u) {
      const oi = o.junit!.findIndex((x) => x.name === 'Deferred post-test command');
      const ui = u.junit!.findIndex((x) => x.name === 'post-test command');
      assert.ok(oi >= 0 && ui >= 0, 'kubetest defers the post-test command; ours runs it after the tests');
      const [ocase] = o.junit!.splice(oi, 1);
      ocase!.name = 'post-test command';
      o.junit!.splice(ui, 0, ocase!);
      const oc = o.calls.findIndex((x) => x.tool === 'posttest');
      const uc = u.calls.findIndex((x) => x.tool === 'posttest');
      assert.ok(oc >= 0 && uc >= 0 && uc <= oc, 'ours calls the post-test command no later than kubetest');
      const [call] = o.calls.splice(oc, 1);
      o.calls.splice(uc, 0, call!);
    },
  },
  {
    id: 'reports',
    apply(_o, u) {
      for (const f of OUR_REPORTS) assert.ok(u.files.includes(f), `ours writes ${f}`);
      u.files = u.files.filter((f) => !OUR_REPORTS.includes(f) && !f.startsWith('dump/kubetest-steps/'));
    },
  },
  {
    id: 'artifacts-dir',
    apply(o, u) {
      assert.ok(o.files.includes('kubernetes/_artifacts/'), 'kubetest creates $WORKSPACE/_artifacts');
      assert.ok(!u.files.includes('kubernetes/_artifacts/'), 'ours does not');
      o.files = o.files.filter((f) => f !== 'kubernetes/_artifacts/');
    },
  },
  {
    id: 'kubetest-version',
    apply(o, u) {
      if (!o.metadata) return;
      assert.equal(o.metadata['kubetest-version'], '', 'the anchor was built without a git tag');
      assert.match(String(u.metadata?.['kubetest-version']), /^v\d/);
      delete o.metadata['kubetest-version'];
      delete u.metadata!['kubetest-version'];
    },
  },
  {
    id: 'kubeconfig-none',
    apply(o, u, c) {
      const kc = arg(c, 'kubeconfig');
      assert.ok(
        o.calls.every((x) => x.env['KUBECONFIG'] === undefined),
        'kubetest ignores --kubeconfig with none',
      );
      assert.ok(u.calls.length > 0 && u.calls.every((x) => x.env['KUBECONFIG'] === kc), 'ours exports it');
      for (const x of u.calls) delete x.env['KUBECONFIG'];
    },
  },
  {
    id: 'usage-exit',
    apply(o, u) {
      assert.equal(o.exit, '1', 'kubetest exits 1 on a usage error');
      assert.equal(u.exit, '2', 'ours exits 2');
      assert.equal(u.calls.length, 0, 'ours runs nothing');
      u.exit = '1';
    },
  },
  {
    id: 'sigint-down',
    apply(o, u) {
      // kubetest's ^C handler (with --down) runs Down and exits 2, but it races its main goroutine, which may
      // still write junit (TearDown included) and exit 1 first: all these outcomes were seen on loaded machines.
      assert.ok(['1', '2'].includes(o.exit), `kubetest exits 2 (its handler) or 1 (its main goroutine): ${o.exit}`);
      assert.ok(o.junit === null || o.junit.some((x) => x.name === 'TearDown'), '... with or without junit');
      assert.ok(!o.events.some((e) => e.ev === 'SIGINT'), 'kubetest SIGKILLs the step (no SIGINT for its child)');
      assert.equal(u.exit, '130', 'ours exits 130 after cleanup');
      assert.ok(
        u.events.some((e) => e.tool === 'testcmd' && e.ev === 'SIGINT'),
        'ours interrupts the child',
      );
      assert.ok(
        u.junit?.some((x) => x.name === 'TearDown' && x.result === 'ok'),
        'ours tears down, writes junit',
      );
      assert.equal(u.orphans, 0);
      evenOut(o, u);
    },
  },
  {
    id: 'sigint',
    apply(o, u) {
      assert.equal(o.exit, '1', 'kubetest SIGKILLs the step, fails it and goes on; exit 1');
      assert.ok(!o.events.some((e) => e.ev === 'SIGINT'), 'its child never sees SIGINT');
      assert.equal(u.exit, '130', 'ours interrupts the child and exits 130 after cleanup');
      assert.ok(u.events.some((e) => e.tool === 'testcmd' && e.ev === 'SIGINT'));
      u.exit = o.exit;
    },
  },
  {
    id: 'sigterm',
    apply(o, u) {
      assert.equal(o.exit, 'signal SIGTERM', 'kubetest dies of SIGTERM');
      assert.equal(o.junit, null, '... with no junit');
      assert.ok(o.orphans > 0, '... and leaves its child behind');
      assert.equal(u.exit, '143', 'ours exits 143 after cleanup');
      assert.ok(
        u.junit?.some((x) => x.name === 'TearDown' && x.result === 'ok'),
        'ours tears down, writes junit',
      );
      assert.equal(u.orphans, 0, 'ours leaves nothing behind');
      evenOut(o, u);
    },
  },
  {
    id: 'offline-deployers',
    apply(o, u) {
      assert.equal(o.exit, '1');
      const failed = o.junit?.find((x) => x.result === 'failed');
      assert.match(
        failed?.message ?? '',
        /Forbidden|external IP cannot be retrieved/,
        'kubetest needs the network (a kind download from GitHub, the AWS API, an external-IP service)',
      );
      assert.equal(u.exit, '0', 'ours runs kind/kops from PATH');
      assert.ok(u.calls.some((x) => /^(kind|kops)$/.test(x.tool) && x.argv.includes('create')));
      Object.assign(u, structuredClone(o));
    },
  },
  {
    id: 'local-deployer',
    apply(o, u) {
      assert.equal(o.exit, '0', "kubetest's local deployer assumes hack/local-up-cluster.sh already ran");
      assert.equal(u.exit, '1', 'ours starts its own control plane: test setup needs one made by --up');
      assert.match(u.junit?.[0]?.message ?? '', /run with --up first/);
      Object.assign(u, structuredClone(o));
    },
  },
  {
    id: 'gke-commands',
    apply(o, u) {
      const prep = (x: Obs) => x.calls.slice(0, 3);
      assert.deepEqual(prep(u), prep(o), 'the Prepare calls are the same');
      const create = (x: Obs) =>
        x.calls
          .find((c) => c.tool === 'gcloud' && c.argv.join(' ').includes('clusters create'))
          ?.argv.slice()
          .sort();
      assert.deepEqual(create(u), create(o), 'the cluster is created with the same gcloud arguments');
      // The rest of the gke deployer's commands and their env differ (docs/compatibility.md, gke-commands).
      const keep = (x: Obs) => {
        const c = x.calls.find((y) => y.argv.includes('create'))!;
        x.calls = [...prep(x), { tool: c.tool, cwd: c.cwd, argv: create(x)!, env: {} }];
      };
      keep(o);
      keep(u);
      assert.ok(o.files.includes('dump/gke-configmap.json'), "kubetest's gke dump saves the ingress configmap");
      o.files = o.files.filter((f) => f !== 'dump/gke-configmap.json');
    },
  },
  {
    id: 'publish-gcs-api',
    apply(o, u) {
      const cps = o.calls.filter((x) => x.tool === 'gsutil');
      assert.ok(cps.length > 0 && cps.every((x) => x.argv[0] === 'cp' && x.argv[2] === 'gs://b/latest.txt'));
      assert.equal(o.junit?.find((x) => x.name === 'Publish version')?.result, 'ok', 'kubetest: gsutil cp');
      // Ours writes through the GCS API (KUBETEST_GCS_ENDPOINT / credentials), which this sandbox does not have.
      assert.equal(u.junit?.find((x) => x.name === 'Publish version')?.result, 'failed');
      o.calls = o.calls.filter((x) => x.tool !== 'gsutil');
      u.exit = o.exit;
      u.junit = o.junit;
    },
  },
  {
    id: 'refused-at-parse-time',
    apply(o, u) {
      // --check-leaked-resources (until implemented), --deployment=aks/aksengine (plans only): one line, exit 2.
      assert.equal(o.exit, '1');
      assert.ok(o.junit !== null, 'kubetest starts the run and fails in it');
      assert.equal(u.exit, '2', 'ours refuses the command line');
      assert.equal(u.calls.length, 0);
      assert.equal(u.junit, null);
      Object.assign(u, structuredClone(o));
    },
  },
  {
    id: 'deadline-cleanup-only',
    apply(o, u) {
      // After the deadline kubetest still ran every remaining step (IsUp, kubectl version, Test...); ours runs
      // only cleanup steps (dump, teardown).
      const i = o.calls.findIndex((x) => x.tool === 'pretest');
      const late = o.calls.slice(i + 1).map((x) => x.tool);
      assert.deepEqual(late, ['kubectl.sh', 'ginkgo-e2e.sh'], 'kubetest runs kubectl version and the tests late');
      assert.equal(u.calls.at(-1)?.tool, 'pretest', 'ours runs no test step after the deadline');
      o.calls = o.calls.slice(0, i + 1);
    },
  },
  {
    id: 'dump-created',
    apply(o, u) {
      assert.equal(o.junit, null, 'kubetest cannot write junit into a missing --dump');
      assert.equal(o.exit, '1');
      assert.ok(u.files.includes('dump/junit_runner.xml'), 'ours creates --dump');
      u.junit = null;
      u.metadata = null;
      u.exit = o.exit;
      u.files = u.files.filter((f) => !f.startsWith('dump/'));
    },
  },
];

/** After a documented difference in exit and reports: ours' reports and exit are set aside. */
function evenOut(o: Obs, u: Obs): void {
  u.exit = o.exit;
  u.junit = o.junit;
  u.metadata = o.metadata;
  u.orphans = o.orphans;
  u.files = u.files.filter((f) => !f.startsWith('dump/'));
  o.files = o.files.filter((f) => !f.startsWith('dump/'));
}

/** Ours asks kubectl for both versions before the tests (--check-version-skew fails fast); kubetest does not. */
function withoutVersionSkewProbe(u: Obs): void {
  const probe = (x: Call) => x.argv.slice(-4).join(' ') === '--match-server-version=false version -o json';
  const i = u.calls.findIndex(probe);
  if (i < 0) return;
  assert.equal(u.calls[i + 1]?.tool, 'ginkgo-e2e.sh', 'the version probe runs right before the tests');
  u.calls = u.calls.filter((x) => !probe(x));
}

export function compareObs(c: Case, orig: Obs, ours: Obs, aspects: Aspect[] = ASPECTS): void {
  const o = structuredClone(orig);
  const u = structuredClone(ours);
  withoutVersionSkewProbe(u);
  for (const id of c.diffs ?? []) {
    const d = DIFFERENCES.find((x) => x.id === id);
    assert.ok(d, `unknown difference ${id}`);
    d.apply(o, u, c);
  }
  const check = (what: string, f: () => void) => {
    try {
      f();
    } catch (e) {
      const tail = (x: string) => x.slice(-2500);
      (e as Error).message =
        `${c.name}: ${what} differ\n${(e as Error).message}\n` +
        `--- kubetest stderr ---\n${tail(orig.stderr)}\n--- ours ---\n${tail(ours.stderr)}`;
      throw e;
    }
  };
  if (aspects.includes('exit')) check('exit codes', () => assert.equal(u.exit, o.exit));
  const strip = (j: Obs['junit']) => j?.map((x) => ({ name: x.name, result: x.result }));
  if (aspects.includes('junit')) check('junit cases', () => assert.deepEqual(strip(u.junit), strip(o.junit)));
  if (aspects.includes('metadata')) check('metadata.json', () => assert.deepEqual(u.metadata, o.metadata));
  if (aspects.includes('calls')) check('stub calls', () => assert.deepEqual(u.calls, o.calls));
  if (aspects.includes('files')) check('files created', () => assert.deepEqual(u.files, o.files));
  if (aspects.includes('orphans')) check('processes left behind', () => assert.equal(u.orphans, o.orphans));
}
