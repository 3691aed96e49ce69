// The differential suite: each command line of cases.ts run by the original Go kubetest and by ours in
// identical scratch trees of recording stubs (harness.ts), compared aspect by aspect (compare.ts). Every
// difference is one of docs/compatibility.md's rows and is asserted, not skipped. The original is unpacked
// from ../shared/anchors (or $KUBETEST_ANCHORS); without it this suite fails.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PlanJson } from '../../src/run/dryrun.js';
import { REPO, runInProcess } from '../helpers/cli.js';
import { originalKubetest } from './anchor.js';
import { CASES } from './cases.js';
import { compareObs, DIFFERENCES } from './compare.js';
import { makeScratch, observe, OURS, pool, type Obs } from './harness.js';
import { startProxy, type Proxy } from './proxy.js';

describe('differential: the original kubetest and ours, side by side', () => {
  let proxy: Proxy;
  const results = new Map<string, { o: Obs; u: Obs }>();
  before(async () => {
    const bin = originalKubetest();
    proxy = await startProxy();
    await pool(CASES, 3, async (c) => {
      const cc = { ...c, env: { SSL_CERT_FILE: proxy.caFile, ...c.env } };
      const [o, u] = await Promise.all([observe([bin], cc, 'o', proxy.url), observe(OURS, cc, 'u', proxy.url)]);
      results.set(c.name, { o, u });
    });
  });
  after(() => proxy?.close());

  for (const c of CASES) {
    it(c.name, () => {
      const r = results.get(c.name);
      assert.ok(r, 'ran');
      compareObs(c, r.o, r.u, c.aspects);
      c.check?.(r.o, r.u);
    });
  }

  it(`compares at least 30 command lines (${CASES.length})`, () => assert.ok(CASES.length >= 30));

  it('every documented difference is used by a case and listed in docs/compatibility.md', () => {
    const doc = readFileSync(join(REPO, 'docs', 'compatibility.md'), 'utf8');
    const used = new Set(CASES.flatMap((c) => c.diffs ?? []));
    for (const d of DIFFERENCES) {
      assert.ok(used.has(d.id), `${d.id} is used by a case`);
      assert.ok(doc.includes(`\`${d.id}\``), `${d.id} is in docs/compatibility.md`);
    }
  });

  it('no Boskos and no project: the original asks Boskos for a gce-project; our plan shows that lease', async () => {
    const own = await startProxy();
    try {
      const c = { name: 'lease', args: ['--provider=gce', '--up', '--boskos-wait-duration=1s'] };
      // Its Boskos client retries for a while: the first request is all this needs.
      const o = await observe(
        [originalKubetest()],
        { ...c, capMs: 2500, env: { SSL_CERT_FILE: own.caFile } },
        'o',
        own.url,
      );
      const acquire = own.seen.find((x) => x.includes('boskos.test-pods.svc.cluster.local./acquire?'));
      assert.ok(acquire, `the original asked Boskos: ${own.seen.join(', ')}`);
      assert.match(acquire, /[?&]type=gce-project(&|$)/);
      assert.ok(
        o.calls.every((x) => x.tool !== 'e2e-up.sh'),
        'no cluster without a project',
      );
      const s = makeScratch({ name: 'lease', args: [] }, 'u');
      const u = await runInProcess([...c.args, '--dry-run=json'], { cwd: s.cwd, env: {} });
      assert.equal(u.code, 0, u.stderr);
      const p = JSON.parse(u.stdout) as PlanJson;
      assert.deepEqual(p.lease, { type: 'gce-project', server: 'http://boskos.test-pods.svc.cluster.local.' });
      assert.equal(p.steps[0], 'Boskos Acquire');
    } finally {
      await own.close();
    }
  });
});
