// Compares the two observations of one case. Documented differences (docs/compatibility.md) are asserted
// to be present, then evened out; whatever is left must be equal. Nothing is ignored silently.
import assert from 'node:assert/strict';
import type { Case, Obs } from './harness.js';

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

const OUR_REPORTS = ['dump/finished.json', 'dump/kubetest-steps/', 'dump/started.json'];

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

export function compareObs(c: Case, orig: Obs, ours: Obs, aspects: Aspect[] = ASPECTS): void {
  const o = structuredClone(orig);
  const u = structuredClone(ours);
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
