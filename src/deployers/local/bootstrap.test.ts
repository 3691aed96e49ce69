import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseSeed, readSeed, readyzWithoutSeededHooks, seedFile, writeSeed } from './bootstrap.js';

const role = (name: string, extra: object = {}) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  metadata: { name, labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } },
  rules: [],
  ...extra,
});
const seedText = (...objects: object[]) => JSON.stringify({ kubeVersion: 'v1.36.3', objects });

describe('bootstrap seed', () => {
  it('takes the kinds the hooks create, named and namespaced as they are', () => {
    const s = parseSeed(
      seedText(
        role('system:aggregate-to-admin'),
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'Role',
          metadata: { name: 'system::leader-locking-kube-scheduler', namespace: 'kube-system' },
        },
        { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'system-node-critical' } },
      ),
    );
    assert.deepEqual(
      s.objects.map((o) => o.kind),
      ['ClusterRole', 'Role', 'PriorityClass'],
    );
  });

  it('refuses anything else, saying which object and why', () => {
    const bad: Array<[object, RegExp]> = [
      [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x', namespace: 'a' } }, /kind "Secret"/],
      [{ ...role('x'), apiVersion: 'v1' }, /apiVersion "v1" for ClusterRole/],
      [{ ...role('x'), metadata: { name: 'x', namespace: 'kube-system' } }, /namespace does not fit/],
      [
        { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'x' } },
        /namespace does not fit/,
      ],
      [{ ...role('x'), metadata: { name: '../../x' } }, /bad name/],
      [{ ...role('x'), metadata: { name: '..' } }, /bad name/],
      [
        { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'x', namespace: 'A/b' } },
        /bad namespace/,
      ],
      [{ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' } }, /not a system one/],
      [{ ...role('x'), kind: 'constructor' }, /kind "constructor"/],
      [null as unknown as object, /not an object/],
    ];
    for (const [o, want] of bad)
      assert.throws(() => parseSeed(seedText(role('ok'), o)), new RegExp(`object 1: .*${want.source}`));
    assert.throws(() => parseSeed('{"objects": []}'), /not a bootstrap seed/);
    assert.throws(() => parseSeed('{'), SyntaxError);
    const many = Array.from({ length: 5001 }, (_, i) => role(`r${i}`));
    assert.throws(() => parseSeed(seedText(...many)), /5001 objects: too many/);
  });

  it('is keyed by release, apiserver binary and API configuration; none yet is undefined', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubetest-seed-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const bin = join(dir, 'kube-apiserver');
    writeFileSync(bin, 'x'.repeat(10));
    const a = seedFile(dir, 'v1.36.3', bin, '');
    assert.equal(seedFile(dir, 'v1.36.3', bin, ''), a);
    assert.notEqual(seedFile(dir, 'v1.36.3', bin, 'api/all=true'), a);
    assert.notEqual(seedFile(dir, 'v1.35.4', bin, ''), a);
    writeFileSync(bin, 'x'.repeat(11));
    assert.notEqual(seedFile(dir, 'v1.36.3', bin, ''), a);
    assert.match(
      seedFile(dir, 'v1.36.3/../../x', bin, ''),
      /apiserver-bootstrap\/v1\.36\.3_\.\._\.\._x-[0-9a-f]{16}\.json$/,
    );
    assert.equal(readSeed(a), undefined);
    writeSeed(a, parseSeed(seedText(role('r'))));
    assert.equal(readSeed(a)?.objects.length, 1);
  });

  it('asks /readyz for every check but the seeded hooks', () => {
    assert.equal(
      readyzWithoutSeededHooks('https://127.0.0.1:6443'),
      'https://127.0.0.1:6443/readyz?exclude=poststarthook%2Frbac%2Fbootstrap-roles&' +
        'exclude=poststarthook%2Fscheduling%2Fbootstrap-system-priority-classes',
    );
  });
});
