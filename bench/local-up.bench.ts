// Time to a Ready local control plane: kubetest --deployment=local --up vs `kwokctl create cluster
// --runtime binary` with the same binaries (kwokctl built from its module), side by side; then teardown:
// kubetest --down vs kwokctl delete cluster. Goals: up <= 0.8x kwokctl (#27); down <= 3 s.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildGoTool } from '../src/release/build/gotool.js';
import { ProcessRunner } from '../src/process/run.js';
import { KWOK_VERSION, resolveKwok } from '../src/deployers/local/binaries.js';
import { peers } from '../test/helpers/peers.js';
import { median, report, timeCommand } from './lib.js';

const main = join(import.meta.dirname, '..', 'bin', 'kubetest.js');
const p = peers();
const runner = new ProcessRunner();
const exec = (argv: readonly string[], o: Parameters<ProcessRunner['run']>[1] = {}) =>
  runner.run(argv, { ...o, logFile: join(p.cacheDir, 'logs', 'bench-kwokctl.log') });
const kwokctl = await buildGoTool(exec, p.cacheDir, {
  name: 'kwokctl',
  module: 'sigs.k8s.io/kwok',
  pkg: 'sigs.k8s.io/kwok/cmd/kwokctl',
  version: KWOK_VERSION,
});
const kwok = await resolveKwok(p.cacheDir, exec, process.env);
const work = mkdtempSync(join(tmpdir(), 'kubetest-bench-local-'));
const env = { ...process.env, KUBETEST_CACHE_DIR: p.cacheDir };
await timeCommand([process.execPath, main, `--extract=file://${p.release.dir}`, '--deployment=none'], {
  cwd: work,
  env,
});
const k = join(work, 'kubernetes');
const bin = (n: string) => join(k, 'server', 'bin', n);
const kwokHome = mkdtempSync(join(tmpdir(), 'kubetest-bench-kwokhome-'));
const kenv = { ...process.env, HOME: kwokHome, KWOK_KUBE_VERSION: p.release.version };
const runs = Number(process.env['BENCH_RUNS'] ?? 5);
const t = {
  upOurs: [] as number[],
  upOursNoSeed: [] as number[],
  upKwok: [] as number[],
  downOurs: [] as number[],
  downKwok: [] as number[],
  upKubelet: [] as number[],
  downKubelet: [] as number[],
};
const kubeletUp = [
  process.execPath,
  main,
  '--deployment=local',
  '--local-node-type=kubelet',
  '--local-nodes=2',
  '--up',
  '--verbose-commands=false',
];
const kwokUp = [
  kwokctl,
  'create',
  'cluster',
  '--name',
  'bench',
  '--runtime',
  'binary',
  `--kube-apiserver-binary=${bin('kube-apiserver')}`,
  `--kube-controller-manager-binary=${bin('kube-controller-manager')}`,
  `--kube-scheduler-binary=${bin('kube-scheduler')}`,
  `--etcd-binary=${join(k, 'third_party', 'etcd', 'etcd')}`,
  `--kwok-controller-binary=${kwok.binary}`,
  '--wait=2m',
];
const kwokDown = [kwokctl, 'delete', 'cluster', '--name', 'bench'];
const oursUp = [process.execPath, main, '--deployment=local', '--up', '--verbose-commands=false'];
const oursDown = [process.execPath, main, '--deployment=local', '--down', '--verbose-commands=false'];
try {
  // One unmeasured round each: first starts read the binaries from disk, and our first Up of a release
  // captures the apiserver's bootstrap objects (--local-bootstrap-seed).
  await timeCommand(kwokUp, { env: kenv });
  await timeCommand(kwokDown, { env: kenv });
  await timeCommand(oursUp, { cwd: work, env });
  await timeCommand(oursDown, { cwd: work, env });
  for (let i = 0; i < runs; i++) {
    t.upKwok.push(await timeCommand(kwokUp, { env: kenv }));
    t.downKwok.push(await timeCommand(kwokDown, { env: kenv }));
    t.upOurs.push(await timeCommand(oursUp, { cwd: work, env }));
    t.downOurs.push(await timeCommand(oursDown, { cwd: work, env }));
    // The same Up waiting for the apiserver's own /readyz: what the seed saves.
    t.upOursNoSeed.push(await timeCommand([...oursUp, '--local-bootstrap-seed=false'], { cwd: work, env }));
    await timeCommand(oursDown, { cwd: work, env });
  }
  // Real nodes: two kubelet nodes Ready (and CoreDNS available), then down; nothing to compare with here.
  for (let i = 0; i < runs; i++) {
    t.upKubelet.push(await timeCommand(kubeletUp, { cwd: work, env }));
    t.downKubelet.push(await timeCommand(oursDown, { cwd: work, env }));
  }
  const sec = (ms: number) => (ms / 1000).toFixed(2);
  const s = (xs: number[]) => `${sec(median(xs))} s (${sec(Math.min(...xs))}–${sec(Math.max(...xs))})`;
  report(`local control plane ${p.release.version}, median of ${runs} (min–max)`, [
    ['kwokctl create cluster --runtime binary --wait', s(t.upKwok)],
    ['kubetest --deployment=local --up', s(t.upOurs)],
    ['up ratio ours/kwokctl (goal <= 0.8)', `${(median(t.upOurs) / median(t.upKwok)).toFixed(2)}x`],
    ['kubetest --up --local-bootstrap-seed=false (waits for /readyz)', s(t.upOursNoSeed)],
    ['its ratio to kwokctl', `${(median(t.upOursNoSeed) / median(t.upKwok)).toFixed(2)}x`],
    ['kwokctl delete cluster', s(t.downKwok)],
    ['kubetest --deployment=local --down (goal <= 3 s)', s(t.downOurs)],
    ['kubetest --up --local-node-type=kubelet --local-nodes=2 (2 nodes Ready, CoreDNS up)', s(t.upKubelet)],
    ['kubetest --down of the 2 kubelet nodes (namespaces, mounts, cgroups gone)', s(t.downKubelet)],
  ]);
  console.log(
    '  (kubetest --up also tears down a previous cluster, registers a Ready kwok node and checks the API with kubectl; kwokctl makes no node)',
  );
} finally {
  await timeCommand([process.execPath, main, '--deployment=local', '--down'], { cwd: work, env });
  try {
    await timeCommand(kwokDown, { env: kenv });
  } catch {
    /* already gone */
  }
  rmSync(work, { recursive: true, force: true });
  rmSync(kwokHome, { recursive: true, force: true });
}
