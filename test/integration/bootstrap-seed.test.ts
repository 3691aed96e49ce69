// --local-bootstrap-seed on a real local cluster: the first Up of a release captures what kube-apiserver's
// bootstrap hooks made, a later Up creates it as soon as the apiserver serves, and once the hooks have run the
// cluster holds exactly what they make. A seed file of the wrong shape is said in one line and replaced.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { request, type TlsFiles } from '../../src/deployers/local/health.js';
import { poll } from '../../src/util/poll.js';
import { parseSeed, type BootstrapSeed, type SeedObject } from '../../src/deployers/local/bootstrap.js';
import { runChild } from '../helpers/cli.js';
import { assertClusterGone, clusterEnv, stateOf, workDirWithRelease } from '../helpers/local.js';
import { peers } from '../helpers/peers.js';
import { tempDir } from '../helpers/tmp.js';

/** The shared cache, but a seed directory of this test's own (other tests start clusters of the same release). */
function privateCache(): string {
  const shared = peers().cacheDir;
  const dir = tempDir('seed-cache');
  for (const e of readdirSync(shared)) if (e !== 'apiserver-bootstrap') symlinkSync(join(shared, e), join(dir, e));
  return dir;
}

function seedPath(cache: string): string {
  const dir = join(cache, 'apiserver-bootstrap');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  assert.equal(files.length, 1, `one seed file in ${dir}: ${files.join(', ')}`);
  return join(dir, files[0]!);
}

async function kubetest(dir: string, cache: string, ...args: string[]): Promise<string> {
  const r = await runChild(['--deployment=local', ...args], {
    cwd: dir,
    env: { ...clusterEnv(), KUBETEST_CACHE_DIR: cache },
  }).done;
  assert.equal(r.code, 0, r.stderr.slice(-3000));
  return r.stderr;
}

function admin(dir: string): { server: string; tls: TlsFiles } {
  const s = stateOf(dir)!;
  const pki = join(s.dir, 'pki');
  return {
    server: s.apiserverUrl!,
    tls: { ca: join(pki, 'ca.crt'), cert: join(pki, 'admin.crt'), key: join(pki, 'admin.key') },
  };
}

const PLURAL: Record<string, string> = {
  ClusterRole: 'apis/rbac.authorization.k8s.io/v1/clusterroles',
  ClusterRoleBinding: 'apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
  Role: 'apis/rbac.authorization.k8s.io/v1/roles',
  RoleBinding: 'apis/rbac.authorization.k8s.io/v1/rolebindings',
  PriorityClass: 'apis/scheduling.k8s.io/v1/priorityclasses',
};

/** What a hook decides by: everything but metadata (an aggregated role's rules are the controller-manager's). */
function content(o: Record<string, unknown>): string {
  const { metadata: _m, apiVersion: _a, kind: _k, rules, ...rest } = o;
  return JSON.stringify({ ...rest, ...(o['aggregationRule'] ? {} : { rules }) });
}

describe('local deployer: bootstrap seed', () => {
  it('captured at the first Up, created at the next as soon as the apiserver serves; the hooks then find all of it', async () => {
    const cache = privateCache();
    const dir = await workDirWithRelease();
    const first = await kubetest(dir, cache, '--up');
    assert.match(first, /kube-apiserver ready in /);
    assert.doesNotMatch(first, /seeded/);
    const seed: BootstrapSeed = parseSeed(readFileSync(seedPath(cache), 'utf8'), peers().release.version);
    const count = (kind: string) => seed.objects.filter((o) => o.kind === kind).length;
    assert.ok(count('ClusterRole') >= 50 && count('ClusterRoleBinding') >= 40, `${seed.objects.length} objects`);
    assert.ok(count('Role') >= 5 && count('RoleBinding') >= 5);
    assert.deepEqual(
      seed.objects
        .filter((o) => o.kind === 'PriorityClass')
        .map((o) => o.metadata.name)
        .sort(),
      ['system-cluster-critical', 'system-node-critical'],
    );
    const adminRole = seed.objects.find((o) => o.kind === 'ClusterRole' && o.metadata.name === 'admin')!;
    assert.deepEqual(adminRole['rules'], [], 'the aggregated admin role is seeded without rules');
    assert.ok(seed.objects.every((o) => !('uid' in o.metadata) && !('resourceVersion' in o.metadata)));

    await kubetest(dir, cache, '--down');
    const second = await kubetest(dir, cache, '--up');
    assert.match(second, /kube-apiserver ready \(bootstrap objects seeded\) in /);
    // The hooks run a second later: the apiserver's own /readyz, then the objects are the seed's, no more.
    const { server, tls } = admin(dir);
    await poll(async () => (await request(`${server}/readyz`, { tls })).status === 200, {
      timeoutMs: 60_000,
      what: 'kube-apiserver /readyz',
    });
    const log = readFileSync(join(stateOf(dir)!.dir, 'logs', 'kube-apiserver.log'), 'utf8');
    assert.match(log, /all system priority classes are created successfully or already exist/);
    for (const [kind, path] of Object.entries(PLURAL)) {
      const select = kind === 'PriorityClass' ? '' : '?labelSelector=kubernetes.io%2Fbootstrapping%3Drbac-defaults';
      const r = await request(`${server}/${path}${select}`, { tls });
      const live = (JSON.parse(r.body) as { items: Array<SeedObject> }).items.filter(
        (o) => kind !== 'PriorityClass' || o.metadata.name.startsWith('system-'),
      );
      const want = seed.objects.filter((o) => o.kind === kind);
      const key = (o: SeedObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
      assert.deepEqual(live.map(key).sort(), want.map(key).sort(), kind);
      const byKey = new Map(live.map((o) => [key(o), o]));
      for (const o of want) assert.equal(content(byKey.get(key(o))!), content(o), `${kind} ${key(o)}`);
    }
    const state = stateOf(dir)!;
    await kubetest(dir, cache, '--down');
    await assertClusterGone(state);
  });

  it('a bad seed: one line, the hooks are waited for, nothing of it in the cluster, a good seed replaces it', async () => {
    const cache = privateCache();
    const dir = await workDirWithRelease();
    const version = peers().release.version;
    await kubetest(dir, cache, '--up');
    const path = seedPath(cache);
    const good = readFileSync(path, 'utf8');
    const edited = (edit: (s: BootstrapSeed) => void) => () => {
      const s = JSON.parse(good) as BootstrapSeed;
      edit(s);
      writeFileSync(path, JSON.stringify(s));
    };
    const anonAdmin = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: {
        name: 'zz-anon-admin',
        labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
        annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
      },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:unauthenticated' }],
    };
    const cases: Array<[string, () => void, RegExp]> = [
      [
        'a Secret in it',
        edited((s) =>
          s.objects.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x', namespace: 'kube-system' } }),
        ),
        /object \d+: kind "Secret" is not one the hooks create; not used, replaced after this start/,
      ],
      [
        'a binding the hooks do not make',
        edited((s) => s.objects.push(anonAdmin)),
        /ClusterRoleBinding zz-anon-admin is not one the RBAC hook makes; not used/,
      ],
      [
        "another release's seed",
        edited((s) => (s.kubeVersion = 'v1.35.4')),
        new RegExp(`captured from "v1.35.4", not ${version.replace(/\./g, '\\.')}; not used`),
      ],
      ['a FIFO nobody writes to', () => (rmSync(path), execFileSync('mkfifo', [path])), /not a regular file; not used/],
    ];
    for (const [what, spoil, said] of cases) {
      spoil();
      await kubetest(dir, cache, '--down');
      const out = await kubetest(dir, cache, '--up');
      assert.match(out, said, what);
      assert.equal(out.match(/bootstrap seed/g)?.length, 1, `${what}: one line`);
      assert.match(out, /kube-apiserver ready in /, what);
      const { server, tls } = admin(dir);
      assert.equal((await request(`${server}/api/v1/namespaces/kube-system/secrets/x`, { tls })).status, 404, what);
      const anon = await request(`${server}/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/zz-anon-admin`, {
        tls,
      });
      assert.equal(anon.status, 404, what);
      assert.equal(readFileSync(path, 'utf8'), good, `${what}: replaced by a fresh capture`);
    }

    // Of the right shape, refused by the apiserver: part of it may be in, so nothing is captured from this cluster.
    edited((s) => (s.objects.find((o) => o.metadata.name === 'system-node-critical')!['value'] = 5))();
    await kubetest(dir, cache, '--down');
    const refused = await kubetest(dir, cache, '--up');
    assert.match(
      refused,
      /bootstrap seed .*: creating PriorityClass system-node-critical: HTTP 422: .*; removed, waiting/,
    );
    assert.match(refused, /kube-apiserver ready in /);
    assert.ok(!existsSync(path), 'not captured from a cluster the bad seed reached');

    await kubetest(dir, cache, '--down');
    const off = await kubetest(dir, cache, '--up', '--local-bootstrap-seed=false');
    assert.match(off, /kube-apiserver ready in /);
    assert.doesNotMatch(off, /seed/);
    assert.ok(!existsSync(path), '=false neither reads nor writes a seed');
    const state = stateOf(dir)!;
    await kubetest(dir, cache, '--down');
    await assertClusterGone(state);
  });
});
