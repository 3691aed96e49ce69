// hack/build-peers.sh: builds every peer (cached) and records where they are in <cache>/peers.json.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ProcessRunner } from '../../src/process/run.js';
import { buildModuleRelease } from '../../src/release/build/module.js';
import { buildGoTool } from '../../src/release/build/gotool.js';
import { buildKubeCommand } from '../../src/release/build/kubecmd.js';
import { KUBEMARK } from '../../src/deployers/local/nodes/kubemark.js';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolveKwok } from '../../src/deployers/local/binaries.js';
import { resolveNodeTools } from '../../src/deployers/local/nodes/kubelet/tools.js';
import { resolveImages } from '../../src/deployers/local/nodes/kubelet/images/catalog.js';
import { COREDNS_VERSION, resolveCoreDns } from '../../src/deployers/local/nodes/kubelet/coredns.js';
import { writeFileAtomic } from '../../src/util/atomic.js';
import { REPO } from './cli.js';
import { cacheDir, OLD_RELEASE_VERSION, peersFile, PEER_TOOLS, TEST_RELEASE_VERSION, type Peers } from './peers.js';

async function main(): Promise<void> {
  const dir = cacheDir();
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const runner = new ProcessRunner();
  const t0 = Date.now();
  const say = (m: string) => process.stderr.write(`build-peers: ${m} (${Math.round((Date.now() - t0) / 1000)}s)\n`);
  const execFor =
    (name: string) =>
    (argv: readonly string[], opts: Parameters<ProcessRunner['run']>[1] = {}) =>
      runner.run(argv, { ...opts, logFile: join(dir, 'logs', `peer-${name}.log`) });

  // Debian packages for kubelet nodes (runc, iptables, busybox for the images, ...): the node lane and the
  // images wait for them.
  const debs = (async () => {
    say('node packages (hack/install-debs.sh)');
    const child = spawn('bash', [join(REPO, 'hack', 'install-debs.sh')], { stdio: 'inherit' });
    const [code] = (await once(child, 'exit')) as [number | null];
    if (code !== 0) throw new Error('hack/install-debs.sh failed');
  })();
  debs.catch(() => undefined); // awaited by the lanes
  // Three lanes at once: Go builds leave a core idle while they link or download, so on 2 cores the lanes
  // overlap well (the two Kubernetes releases stay one after the other: each uses both cores to compile).
  const releases = (async () => {
    say(`Kubernetes ${TEST_RELEASE_VERSION} release (kubetest --build=module; cold: ~10 min)`);
    const built = await buildModuleRelease({
      version: TEST_RELEASE_VERSION,
      cacheDir: dir,
      outputDir: join(dir, 'test-output'),
      exec: execFor('kubernetes'),
      env: process.env,
      log: say,
      progress: (d) => say(d),
    });
    say('node images (every image the conformance specs run), beside the second release');
    const images = debs.then(() => resolveImages(dir, built.version, execFor('node-images'), process.env));
    images.catch(() => undefined); // awaited below; a failure must not end the process while the build runs
    // kubemark (hollow nodes) at the same version: mostly the release's packages, already compiled.
    say(`kubemark ${built.version}, beside the second release`);
    const kubemark = buildKubeCommand(execFor('kubemark'), dir, process.env, built.version, KUBEMARK);
    kubemark.catch(() => undefined);
    say(`Kubernetes ${OLD_RELEASE_VERSION} release (the second version, for skew and upgrade)`);
    const old = await buildModuleRelease({
      version: OLD_RELEASE_VERSION,
      cacheDir: dir,
      outputDir: join(dir, 'test-output'),
      exec: execFor('kubernetes-old'),
      env: process.env,
      log: say,
      progress: (d) => say(d),
    });
    await kubemark;
    return { built, old, images: await images };
  })();
  const tools = (async () => {
    say(`kwok`);
    const kwok = await resolveKwok(dir, execFor('kwok'), process.env);
    say(`fake-gcs-server ${PEER_TOOLS.fakeGcs.version}`);
    const fakeGcs = await buildGoTool(execFor('fake-gcs-server'), dir, PEER_TOOLS.fakeGcs);
    say(`gofakes3 ${PEER_TOOLS.gofakes3.version}`);
    const gofakes3 = await buildGoTool(execFor('gofakes3'), dir, PEER_TOOLS.gofakes3);
    say(`boskos ${PEER_TOOLS.boskos.version}`);
    const boskos = await buildGoTool(execFor('boskos'), dir, PEER_TOOLS.boskos);
    return { kwok, fakeGcs, gofakes3, boskos };
  })();
  // kubelet nodes: Debian packages (runc, iptables, ...), containerd + CNI plugins, CoreDNS; the images
  // (agnhost is built from the Kubernetes module) once the first release is there.
  const node = (async () => {
    await debs;
    say('node tools (containerd, CNI plugins)');
    const nodeTools = await resolveNodeTools(dir, execFor('node-tools'), process.env);
    say(`CoreDNS ${COREDNS_VERSION}`);
    const coredns = await resolveCoreDns(dir, execFor('coredns'), process.env);
    return { nodeTools, coredns };
  })();
  // Every lane runs to its end before a failure is reported: no build is left running behind a message.
  const lanes = await Promise.allSettled([releases, tools, node]);
  const failed = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected');
  if (failed) throw failed.reason;
  const [{ built, old, images }, { kwok, fakeGcs, gofakes3, boskos }, { nodeTools, coredns }] = [
    await releases,
    await tools,
    await node,
  ];
  const p: Peers = {
    cacheDir: dir,
    release: { version: built.version, dir: built.stageDir },
    oldRelease: { version: old.version, dir: old.stageDir },
    kwok: kwok.binary,
    fakeGcs,
    gofakes3,
    boskos,
    nodeTools,
    images: { ...images, coredns },
  };
  writeFileAtomic(peersFile(dir), JSON.stringify(p, null, 2) + '\n');
  say(`all peers ready; recorded in ${peersFile(dir)}`);
}

main().catch((e) => {
  process.stderr.write(`build-peers: ${(e as Error).message}\n`);
  process.exit(1);
});
