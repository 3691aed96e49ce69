// --local-bootstrap-seed on a real local cluster: the first Up of a release captures what kube-apiserver's
// bootstrap hooks made, a later Up creates it as soon as the apiserver serves, and once the hooks have run the
// cluster holds exactly what they make. A seed file of the wrong shape is said in one line and replaced.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
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
    const seed: BootstrapSeed = parseSeed(readFileSync(seedPath(cache), 'utf8'));
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

  it('a seed of the wrong shape: one line, the hooks are waited for, a good seed replaces it; =false reads none', async () => {
    const cache = privateCache();
    const dir = await workDirWithRelease();
    await kubetest(dir, cache, '--up');
    const path = seedPath(cache);
    const good = readFileSync(path, 'utf8');
    const hostile = JSON.parse(good) as BootstrapSeed;
    hostile.objects.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x', namespace: 'kube-system' } });
    writeFileSync(path, JSON.stringify(hostile));
    await kubetest(dir, cache, '--down');
    const out = await kubetest(dir, cache, '--up');
    assert.match(out, /bootstrap seed .*: object \d+: kind "Secret" is not one the hooks create; not used/);
    assert.match(out, /kube-apiserver ready in /);
    const { server, tls } = admin(dir);
    const secrets = await request(`${server}/api/v1/namespaces/kube-system/secrets/x`, { tls });
    assert.equal(secrets.status, 404);
    assert.equal(parseSeed(readFileSync(path, 'utf8')).objects.length, hostile.objects.length - 1, 'replaced');

    await kubetest(dir, cache, '--down');
    const off = await kubetest(dir, cache, '--up', '--local-bootstrap-seed=false');
    assert.match(off, /kube-apiserver ready in /);
    assert.doesNotMatch(off, /seeded/);
    const state = stateOf(dir)!;
    await kubetest(dir, cache, '--down');
    await assertClusterGone(state);
  });
});
