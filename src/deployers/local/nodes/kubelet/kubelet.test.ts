import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { cniConflist, containerdToml, kubeletConfig, kubeProxyConfig } from './config.js';
import { inCidrs } from './forwarder.js';
import { missingPrerequisites } from './host.js';
import { inheritConfig } from './images/archive.js';
import { E2E_IMAGE_IDS, e2eImageNames, tagOf } from './images/catalog.js';
import { layout } from './layout.js';

describe('kubelet nodes', () => {
  it('layout: everything under the cluster dir; node IPs, pod CIDRs and cgroup roots per node; id per dir', () => {
    const l = layout('/w/_rundir/local/local', 3);
    assert.equal(l.nodes.length, 3);
    assert.deepEqual(
      l.nodes.map((n) => [n.name, n.ip, n.podCidr]),
      [
        ['kubetest-node-0', '10.99.0.10', '10.244.0.0/24'],
        ['kubetest-node-1', '10.99.0.11', '10.244.1.0/24'],
        ['kubetest-node-2', '10.99.0.12', '10.244.2.0/24'],
      ],
    );
    for (const n of l.nodes) {
      assert.ok(n.netns.startsWith(l.dir + '/') && n.containerdSock.startsWith(l.dir + '/'));
      assert.match(n.cgroupRoot, /^kt-[0-9a-f]{8}-n\d$/);
    }
    assert.notEqual(layout('/other/_rundir/local/local', 1).id, l.id);
  });

  it('the egress proxy dials only addresses inside the run', () => {
    const allowed = ['10.99.0.0/24', '10.244.0.0/16', '10.0.0.0/24'];
    assert.ok(inCidrs('10.99.0.11', allowed));
    assert.ok(inCidrs('10.244.7.3', allowed));
    assert.ok(inCidrs('10.0.0.1', allowed));
    for (const ip of ['127.0.0.1', '10.99.1.1', '8.8.8.8', '10.245.0.1', 'kubetest-node-0', '10.0.0'])
      assert.ok(!inCidrs(ip, allowed), ip);
  });

  it('missing prerequisites: one line naming each, with the packages; nothing when all are there', () => {
    const ok = { uid: 0, which: (c: string) => `/usr/bin/${c}`, exists: () => true };
    assert.equal(missingPrerequisites(ok), undefined);
    const m = missingPrerequisites({
      ...ok,
      uid: 1000,
      which: (c) => (c === 'runc' || c === 'iptables' ? undefined : c),
    })!;
    assert.doesNotMatch(m, /\n/);
    assert.match(m, /^--local-node-type=kubelet: missing prerequisites: root .*; runc, iptables /);
    assert.ok(m.endsWith('(Debian: apt-get install runc iptables; or run hack/install-debs.sh)'), m);
  });

  it('configs: cgroup v1 settings, the node’s own paths and addresses', () => {
    const n = layout('/w/d', 2).nodes[1]!;
    const k = parse(kubeletConfig(n, '/w/d/pki/ca.crt')) as Record<string, unknown>;
    assert.equal(k['failCgroupV1'], false);
    assert.equal(k['cgroupDriver'], 'cgroupfs');
    assert.equal(k['address'], '10.99.0.11');
    assert.equal(k['containerRuntimeEndpoint'], 'unix:///w/d/nodes/n1/containerd.sock');
    const p = parse(kubeProxyConfig(n, '/w/d/kube-proxy.kubeconfig')) as Record<string, unknown>;
    assert.equal(p['mode'], 'iptables');
    assert.equal(p['hostnameOverride'], 'kubetest-node-1');
    const toml = containerdToml(n, '/cache/cni', 'registry.k8s.io/pause:3.10.2', '/usr/sbin/runc');
    assert.match(toml, /restrict_oom_score_adj = true/);
    assert.match(toml, /SystemdCgroup = false/);
    assert.match(toml, /sandbox = "registry.k8s.io\/pause:3.10.2"/);
    assert.doesNotMatch(toml, /"\/(var|run|opt|etc)\//);
    const cni = JSON.parse(cniConflist(n)) as { plugins: Array<{ ipam?: { ranges: unknown } }> };
    assert.deepEqual(cni.plugins[0]!.ipam!.ranges, [[{ subnet: '10.244.1.0/24' }]]);
  });

  it('image names come from the release’s e2e image manifest and its default registries', () => {
    const ids = E2E_IMAGE_IDS.filter((id) => id !== 'Pause' && id !== 'Etcd');
    const go = [
      '\t\tPromoterE2eRegistry:      "registry.k8s.io/e2e-test-images",',
      '\t\tGcEtcdRegistry:           "registry.k8s.io",',
      '\t\tGcRegistry:               "registry.k8s.io",',
      ...ids.map(
        (id) => `\tconfigs[${id}] = Config{list.PromoterE2eRegistry, "${id.toLowerCase()}", "1.${id.length}"}`,
      ),
      '\tconfigs[Pause] = Config{list.GcRegistry, "pause", "3.10.2"}',
      '\tconfigs[Etcd] = Config{list.GcEtcdRegistry, "etcd", "3.6.8-0"}',
    ].join('\n');
    const names = e2eImageNames(go);
    assert.equal(names.Pause, 'registry.k8s.io/pause:3.10.2');
    assert.equal(names.Etcd, 'registry.k8s.io/etcd:3.6.8-0');
    assert.equal(names.NginxNew, 'registry.k8s.io/e2e-test-images/nginxnew:1.8');
    assert.equal(tagOf(names.Etcd), '3.6.8-0');
    assert.throws(() => e2eImageNames(go.replace(/^.*Kitten.*$/m, '')), /no Kitten image/);
    assert.throws(() => e2eImageNames(go.replace(/^.*GcRegistry:.*$/m, '')), /no Pause image/);
  });

  it('an image inherits its base’s config as Docker does: an own entrypoint drops the base’s cmd', () => {
    const agnhost = { entrypoint: ['/agnhost'], cmd: ['pause'] };
    assert.deepEqual(inheritConfig(agnhost, { cmd: ['test-webserver'] }), {
      entrypoint: ['/agnhost'],
      cmd: ['test-webserver'],
    });
    assert.deepEqual(inheritConfig({ cmd: ['sh'] }, { entrypoint: ['/sample-apiserver'] }), {
      entrypoint: ['/sample-apiserver'],
    });
    assert.deepEqual(inheritConfig({ cmd: ['sh'] }, { user: '1234' }), { cmd: ['sh'], user: '1234' });
  });
});
