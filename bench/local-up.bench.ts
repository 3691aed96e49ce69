// Time to a Ready local control plane: kubetest --deployment=local --up vs `kwokctl create cluster
// --runtime binary` with the same binaries (kwokctl built from its module), side by side; then teardown:
// kubetest --down vs kwokctl delete cluster. Goals: up <= 1.0x kwokctl; down <= 3 s.
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
try {
  for (let i = 0; i < runs; i++) {
    t.upKwok.push(
      await timeCommand(
        [
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
        ],
        { env: kenv },
      ),
    );
    t.downKwok.push(await timeCommand([kwokctl, 'delete', 'cluster', '--name', 'bench'], { env: kenv }));
    t.upOurs.push(
      await timeCommand([process.execPath, main, '--deployment=local', '--up', '--verbose-commands=false'], {
        cwd: work,
        env,
      }),
    );
    t.downOurs.push(
      await timeCommand([process.execPath, main, '--deployment=local', '--down', '--verbose-commands=false'], {
        cwd: work,
        env,
      }),
    );
  }
  // Real nodes: two kubelet nodes Ready (and CoreDNS available), then down; nothing to compare with here.
  for (let i = 0; i < runs; i++) {
    t.upKubelet.push(await timeCommand(kubeletUp, { cwd: work, env }));
    t.downKubelet.push(
      await timeCommand([process.execPath, main, '--deployment=local', '--down', '--verbose-commands=false'], {
        cwd: work,
        env,
      }),
    );
  }
  const s = (xs: number[]) => `${(median(xs) / 1000).toFixed(2)} s`;
  report(`local control plane ${p.release.version}, median of ${runs}`, [
    ['kwokctl create cluster --runtime binary --wait', s(t.upKwok)],
    ['kubetest --deployment=local --up', s(t.upOurs)],
    ['up ratio ours/kwokctl (goal <= 1.0)', `${(median(t.upOurs) / median(t.upKwok)).toFixed(2)}x`],
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
    await timeCommand([kwokctl, 'delete', 'cluster', '--name', 'bench'], { env: kenv });
  } catch {
    /* already gone */
  }
  rmSync(work, { recursive: true, force: true });
  rmSync(kwokHome, { recursive: true, force: true });
}
