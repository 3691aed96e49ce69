import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseSeed, readSeed, readyzWithoutSeededHooks, seedFile, writeSeed } from './bootstrap.js';

const V = 'v1.36.3';
const rbacMeta = (name: string, namespace?: string) => ({
  name,
  ...(namespace ? { namespace } : {}),
  labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
  annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
});
const rbac = (kind: string, name: string, namespace?: string) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind,
  metadata: rbacMeta(name, namespace),
});
const role = (name: string) => ({ ...rbac('ClusterRole', name), rules: [] });
const priorityClass = (name: string) => ({
  apiVersion: 'scheduling.k8s.io/v1',
  kind: 'PriorityClass',
  metadata: { name },
});
const seedText = (...objects: object[]) => JSON.stringify({ kubeVersion: V, objects });

describe('bootstrap seed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubetest-seed-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('takes what the two hooks make: their kinds, names, namespaces, label and annotation', () => {
    const s = parseSeed(
      seedText(
        role('system:aggregate-to-admin'),
        role('admin'),
        rbac('ClusterRoleBinding', 'cluster-admin'),
        rbac('Role', 'system::leader-locking-kube-scheduler', 'kube-system'),
        rbac('RoleBinding', 'system:controller:bootstrap-signer', 'kube-public'),
        priorityClass('system-node-critical'),
      ),
      V,
    );
    assert.deepEqual(
      s.objects.map((o) => o.kind),
      ['ClusterRole', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'PriorityClass'],
    );
  });

  it('refuses anything else, saying which object and why', () => {
    const bad: Array<[unknown, RegExp]> = [
      [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x', namespace: 'a' } }, /kind "Secret"/],
      [{ ...role('system:x'), apiVersion: 'v1' }, /apiVersion "v1" for ClusterRole/],
      [{ ...role('system:x'), kind: 'constructor' }, /kind "constructor"/],
      [rbac('ClusterRoleBinding', 'zz-anon-admin'), /ClusterRoleBinding zz-anon-admin is not one the RBAC hook makes/],
      [{ ...role('system:x'), metadata: rbacMeta('system:x', 'kube-system') }, /namespace "kube-system" is not/],
      [rbac('RoleBinding', 'system:x'), /namespace undefined is not/],
      [rbac('RoleBinding', 'system:x', 'evil-ns'), /namespace "evil-ns" is not/],
      [{ ...role('system:x'), metadata: { name: 'system:x' } }, /no bootstrapping label/],
      [
        { ...role('system:kube-scheduler'), metadata: { ...rbacMeta('system:kube-scheduler'), annotations: {} } },
        /system:kube-scheduler: not auto-updated/,
      ],
      [{ ...role('x'), metadata: rbacMeta('system:../../x') }, /bad name/],
      [priorityClass('high'), /PriorityClass high is not a system one/],
      [priorityClass('system-other'), /PriorityClass system-other is not a system one/],
      [null, /not an object/],
    ];
    for (const [o, want] of bad) {
      assert.throws(
        () => parseSeed(seedText(role('system:ok'), o as object), V),
        new RegExp(`object 1: .*${want.source}`),
      );
    }
    assert.throws(() => parseSeed('{"objects": []}', V), /^Error: not a bootstrap seed$/);
    assert.throws(() => parseSeed('null', V), /^Error: not a bootstrap seed$/);
    assert.throws(() => parseSeed('root:x:0:0:root', V), /^Error: not JSON$/, 'what the file holds is not echoed');
    assert.throws(() => parseSeed(seedText(), 'v1.35.4'), /captured from "v1.36.3", not v1.35.4/);
    const many = Array.from({ length: 5001 }, (_, i) => role(`system:r${i}`));
    assert.throws(() => parseSeed(seedText(...many), V), /5001 objects: too many/);
  });

  it('is keyed by release, apiserver binary and API configuration', () => {
    const bin = join(dir, 'kube-apiserver');
    writeFileSync(bin, 'x'.repeat(10));
    const a = seedFile(dir, V, bin, '');
    assert.equal(seedFile(dir, V, bin, ''), a);
    assert.notEqual(seedFile(dir, V, bin, 'api/all=true'), a);
    assert.notEqual(seedFile(dir, 'v1.35.4', bin, ''), a);
    writeFileSync(bin, 'x'.repeat(11));
    assert.notEqual(seedFile(dir, V, bin, ''), a);
    assert.match(
      seedFile(dir, 'v1.36.3/../../x', bin, ''),
      /apiserver-bootstrap\/v1\.36\.3_\.\._\.\._x-[0-9a-f]{16}\.json$/,
    );
  });

  it('reads only a regular file it could have written: none yet, a link, a FIFO, a device, a dir, a huge file', () => {
    const p = (n: string) => join(dir, `${n}.json`);
    assert.equal(readSeed(p('none'), V), undefined);
    writeSeed(p('good'), parseSeed(seedText(role('system:r')), V));
    assert.equal(readSeed(p('good'), V)?.objects.length, 1);
    symlinkSync(p('good'), p('link'));
    assert.throws(() => readSeed(p('link'), V), /a symbolic link, not a seed kubetest wrote/);
    execFileSync('mkfifo', [p('fifo')]);
    assert.throws(() => readSeed(p('fifo'), V), /not a regular file/, 'a FIFO nobody writes to does not block');
    assert.throws(() => readSeed('/dev/zero', V), /not a regular file/);
    mkdirSync(p('dir'));
    assert.throws(() => readSeed(p('dir'), V), /not a regular file|EISDIR/);
    writeFileSync(p('huge'), '');
    truncateSync(p('huge'), 20 << 20);
    assert.throws(() => readSeed(p('huge'), V), /^Error: 20971520 bytes, more than a bootstrap seed can be$/);
  });

  it('asks /readyz for every check but the seeded hooks', () => {
    assert.equal(
      readyzWithoutSeededHooks('https://127.0.0.1:6443'),
      'https://127.0.0.1:6443/readyz?exclude=poststarthook%2Frbac%2Fbootstrap-roles&' +
        'exclude=poststarthook%2Fscheduling%2Fbootstrap-system-priority-classes',
    );
  });
});
