// The run's network: network namespaces held by bind mounts of files in the cluster dir (no /run/netns
// entries), a hub namespace with bridge br0 (10.99.0.1/24), one namespace per node with eth0 on that bridge,
// routes between the nodes' pod CIDRs. Nothing is added to the host's namespace.
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Exec } from '../../../../release/build/gotool.js';
import { SERVICE_CIDR } from '../../components.js';
import { HUB_IP, nodeIp, type Layout } from './layout.js';

function inNs(netns: string, argv: string[]): string[] {
  return ['nsenter', `--net=${netns}`, ...argv];
}

async function newNetns(exec: Exec, file: string): Promise<void> {
  writeFileSync(file, '');
  await exec(['unshare', `--net=${file}`, 'true']);
}

export async function setupNetwork(exec: Exec, l: Layout): Promise<void> {
  mkdirSync(l.netDir, { recursive: true });
  const hub = (...a: string[]) => exec(inNs(l.hubNetns, a));
  await newNetns(exec, l.hubNetns);
  await hub('ip', 'link', 'set', 'lo', 'up');
  await hub('ip', 'link', 'add', 'br0', 'type', 'bridge');
  await hub('ip', 'addr', 'add', `${HUB_IP}/24`, 'dev', 'br0');
  await hub('ip', 'link', 'set', 'br0', 'up');
  for (const n of l.nodes) {
    const node = (...a: string[]) => exec(inNs(n.netns, a));
    await newNetns(exec, n.netns);
    await node('ip', 'link', 'set', 'lo', 'up');
    await node('ip', 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', `h${n.index}`);
    await node('ip', 'link', 'set', `h${n.index}`, 'netns', l.hubNetns);
    await node('ip', 'addr', 'add', `${n.ip}/24`, 'dev', 'eth0');
    await node('ip', 'link', 'set', 'eth0', 'up');
    await node('ip', 'route', 'add', 'default', 'via', HUB_IP);
    await node('sysctl', '-q', '-w', 'net.ipv4.ip_forward=1');
    for (const m of l.nodes) if (m !== n) await node('ip', 'route', 'add', m.podCidr, 'via', m.ip);
    await hub('ip', 'link', 'set', `h${n.index}`, 'master', 'br0', 'up');
    // The hub (the apiserver's egress proxy) reaches pods directly and services through node 0's kube-proxy.
    await hub('ip', 'route', 'add', n.podCidr, 'via', n.ip);
  }
  await hub('ip', 'route', 'add', SERVICE_CIDR, 'via', nodeIp(0));
}

export { inNs };
