// The command lines compared side by side. @ROOT@ is each run's scratch root; its kubernetes/ is the cwd.
import assert from 'node:assert/strict';
import type { Aspect } from './compare.js';
import type { Case, Obs } from './harness.js';

export interface DiffCase extends Case {
  /** Aspects compared (default: all). Cases for engine work in progress compare only what ours has right. */
  aspects?: Aspect[];
  /** Extra checks on ours alone (e.g. what the engine issue will change is asserted as it is today). */
  check?: (orig: Obs, ours: Obs) => void;
}

const DUMP = '--dump=@ROOT@/dump';
const TESTCMD = '--test-cmd=@ROOT@/bin/testcmd';
const STD = ['junit-prepare', 'reports', 'artifacts-dir', 'kubetest-version'];
const GCE = ['--provider=gce', '--gcp-project=p', '--gcp-zone=us-central1-b'];

export const CASES: DiffCase[] = [
  {
    name: 'none: --test-cmd with args',
    args: ['--deployment=none', TESTCMD, '--test-cmd-args=a b', '--test-cmd-args=c', DUMP],
    diffs: [...STD, 'test-cmd-name'],
  },
  {
    name: 'none: --test-cmd-name',
    args: ['--deployment=none', TESTCMD, '--test-cmd-name=mine', DUMP],
    diffs: STD,
  },
  {
    name: 'none: failing --test-cmd',
    args: ['--deployment=none', TESTCMD, '--test-cmd-name=mine', DUMP],
    behaviors: { testcmd: { exit: 3 } },
    diffs: STD,
  },
  {
    name: 'none: up, test, test-cmd, down; GINKGO_PARALLEL=y; BUILD_METADATA_*',
    args: ['--deployment=none', '--up', '--test', '--down', TESTCMD, '--test-cmd-name=t', DUMP],
    env: { GINKGO_PARALLEL: 'y', BUILD_METADATA_FOO: 'bar' },
    diffs: [...STD, 'deferred-teardown'],
  },
  {
    name: 'none: --test with --test_args and --ginkgo-parallel',
    args: ['--deployment=none', '--test', '--test_args=--ginkgo.focus=x  --ginkgo.skip=y', '--ginkgo-parallel=4', DUMP],
    diffs: STD,
  },
  {
    name: 'none: --test_args with regex escapes and alternation reach e2e byte for byte',
    args: [
      '--deployment=none',
      '--test',
      '--test_args=--ginkgo.focus=\\[Conformance\\]|\\[NodeConformance\\] --ginkgo.skip=\\[Serial\\]',
      DUMP,
    ],
    diffs: STD,
    check: (_o, u) =>
      assert.deepEqual(u.calls.find((x) => x.tool === 'ginkgo-e2e.sh')?.argv.slice(0, 2), [
        '--ginkgo.focus=\\[Conformance\\]|\\[NodeConformance\\]',
        '--ginkgo.skip=\\[Serial\\]',
      ]),
  },
  {
    name: 'none: GINKGO_PARALLEL_NODES wins over --ginkgo-parallel',
    args: ['--deployment=none', '--test', '--ginkgo-parallel=4', DUMP],
    env: { GINKGO_PARALLEL_NODES: '8', GINKGO_PARALLEL: 'n' },
    diffs: STD,
  },
  {
    name: 'none: bare --ginkgo-parallel and --check-version-skew=false',
    args: ['--deployment=none', '--test', '--ginkgo-parallel', '--check-version-skew=false', DUMP],
    diffs: STD,
  },
  {
    name: 'none: failing tests',
    args: ['--deployment=none', '--test', DUMP],
    behaviors: { 'ginkgo-e2e.sh': { exit: 1 } },
    diffs: STD,
  },
  {
    name: 'none: pre- and post-test commands',
    args: [
      '--deployment=none',
      '--test',
      '--pre-test-cmd=@ROOT@/bin/pretest $MY_VAR',
      '--post-test-cmd=@ROOT@/bin/posttest x',
      DUMP,
    ],
    env: { MY_VAR: 'expanded' },
    diffs: [...STD, 'post-test-before-teardown'],
  },
  {
    name: 'none: failing pre-test command',
    args: ['--deployment=none', '--test', '--pre-test-cmd=@ROOT@/bin/pretest', DUMP],
    behaviors: { pretest: { exit: 2 } },
    diffs: STD,
  },
  {
    name: 'none: --metadata-sources',
    args: ['--deployment=none', TESTCMD, '--test-cmd-name=t', DUMP, '--metadata-sources=a.json,missing.json,b.json'],
    files: {
      'dump/a.json': '{"a":"1","shared":"from-a","n":7,"obj":{"x":"y"}}',
      'dump/b.json': '{"b":"2","shared":"from-b"}',
    },
    env: { BUILD_METADATA_FOO: 'meta' },
    diffs: STD,
  },
  {
    name: 'none: default metadata source images.json and a version file',
    args: ['--deployment=none', TESTCMD, '--test-cmd-name=t', DUMP],
    files: { 'dump/images.json': '{"image":"gcr.io/x"}', 'kubernetes/version': 'v1.36.3\n' },
    diffs: STD,
  },
  {
    name: 'none: --kubeconfig exported to the tests',
    args: ['--deployment=none', '--test', '--kubeconfig=@ROOT@/kc', DUMP],
    diffs: [...STD, 'kubeconfig-none'],
  },
  {
    name: 'none: --dump that does not exist',
    args: ['--deployment=none', TESTCMD, '--test-cmd-name=t', DUMP],
    noDumpDir: true,
    diffs: ['reports', 'dump-created', 'artifacts-dir'],
  },
  {
    name: 'bash/gce: up, test, dump, down',
    args: [...GCE, '--up', '--test', '--down', DUMP],
    diffs: [...STD, 'deferred-teardown'],
  },
  {
    name: 'bash/gce: env fallbacks KUBERNETES_PROVIDER, CLUSTER_NAME, PROJECT, KUBE_GCE_ZONE',
    args: ['--up', '--down', DUMP],
    env: { KUBERNETES_PROVIDER: 'gce', CLUSTER_NAME: 'envc', PROJECT: 'envp', KUBE_GCE_ZONE: 'envz' },
    diffs: [...STD, 'deferred-teardown'],
  },
  {
    name: 'bash: --up fails: one log dump, then teardown',
    args: [...GCE, '--up', '--test', '--down', DUMP],
    behaviors: { 'e2e-up.sh': { exit: 1 } },
    diffs: STD,
    aspects: ['exit', 'metadata', 'orphans', 'files'],
    check(o, u) {
      // The same commands in the same order: e2e-down, e2e-up, one log-dump, e2e-down.
      const tools = (x: Obs) => x.calls.map((c) => c.tool);
      assert.deepEqual(tools(u), tools(o));
      assert.equal(tools(u).filter((t) => t === 'log-dump.sh').length, 1);
      assert.deepEqual(
        u.junit?.slice(0, 4).map((x) => `${x.name}:${x.result}`),
        ['Prepare:ok', 'TearDown Previous:ok', 'Up:failed', 'DumpClusterLogs (--up failed):ok'],
      );
      assert.equal(
        u.junit?.find((x) => x.name === 'DumpClusterLogs'),
        undefined,
        'no second dump',
      );
      // Named TearDown here, Deferred TearDown there (docs/compatibility.md: deferred-teardown).
      assert.equal(u.junit?.find((x) => x.name === 'TearDown')?.result, 'ok');
    },
  },
  { name: 'bad flag', args: ['--nope'], diffs: ['usage-exit'] },
  { name: 'bad duration', args: ['--timeout=abc'], diffs: ['usage-exit'] },
  { name: 'bad bool', args: ['--up=maybe'], diffs: ['usage-exit'] },
  { name: 'bad --ginkgo-parallel', args: ['--ginkgo-parallel=0'], diffs: ['usage-exit'] },
  { name: 'unknown --extract form', args: ['--extract=nonsense'], diffs: ['usage-exit'] },
  {
    name: 'three --extract',
    args: ['--extract=v1.1.1', '--extract=v1.1.2', '--extract=v1.1.3'],
    diffs: ['usage-exit'],
  },
  { name: 'no arguments', args: [], diffs: ['artifacts-dir'] },
  {
    name: 'gke: up, test, down',
    args: [
      '--deployment=gke',
      '--provider=gke',
      '--cluster=c1',
      '--gcp-network=net1',
      '--gke-environment=prod',
      '--gcp-project=p',
      '--gcp-zone=us-central1-b',
      '--up',
      '--test',
      '--down',
      DUMP,
    ],
    behaviors: {
      kubectl: { match: 'get nodes --no-headers', stdout: 'gke-c1-node-1   Ready   <none>   1m   v1.30.5\n' },
    },
    diffs: [...STD, 'deferred-teardown', 'gke-commands'],
  },
  {
    name: 'kops on aws: up, down',
    args: [
      '--deployment=kops',
      '--provider=aws',
      '--cluster=c.k8s.local',
      '--kops-state=s3://b',
      '--kops-zones=us-west-2a',
      '--kops=@ROOT@/bin/kops',
      '--up',
      '--down',
      DUMP,
    ],
    diffs: ['offline-deployers'],
  },
  {
    name: 'kind: up, test-cmd, down',
    args: ['--deployment=kind', '--up', '--down', TESTCMD, '--test-cmd-name=t'],
    env: { ARTIFACTS: '@ROOT@/dump' },
    diffs: ['offline-deployers'],
  },
  {
    name: 'local: test-cmd on a cluster that is up',
    args: ['--deployment=local', TESTCMD, '--test-cmd-name=t', DUMP],
    diffs: ['local-deployer'],
  },
  { name: '--version', args: ['--version'] },
  {
    name: '--dump-pre-test-logs and --skip-dump-cluster-logs',
    args: [...GCE, '--test', '--dump-pre-test-logs=@ROOT@/dump/pre', '--skip-dump-cluster-logs', DUMP],
    diffs: STD,
  },
  {
    name: '--publish after success',
    args: ['--deployment=none', TESTCMD, '--test-cmd-name=t', '--publish=gs://b/latest.txt', DUMP],
    files: { 'kubernetes/version': 'v1.36.3\n' },
    diffs: [...STD, 'publish-gcs-api'],
  },
  {
    name: '--timeout expiring during a test command that traps SIGINT (items 2, 3: engine issue)',
    args: ['--deployment=none', TESTCMD, '--test-cmd-name=t', '--timeout=2s', '--down', DUMP],
    behaviors: { testcmd: { trap: true, trapMs: 1000, grandchild: true, sleepMs: 4000 } },
    diffs: STD,
  },
  {
    name: '--timeout during the pre-test command: later steps (item 3: junit of skipped steps is the engine issue)',
    args: ['--deployment=none', '--up', '--test', '--down', '--pre-test-cmd=@ROOT@/bin/pretest', '--timeout=2s', DUMP],
    behaviors: {
      pretest: { trap: true, trapMs: 1000, sleepMs: 4000 },
      'ginkgo-e2e.sh': { exit: 1 },
    },
    diffs: [...STD, 'deadline-cleanup-only'],
    aspects: ['exit', 'metadata', 'calls', 'files', 'orphans'],
    check(_o, u) {
      const j = u.junit?.map((x) => `${x.name}:${x.result}`) ?? [];
      assert.ok(j.includes('pre-test command:failed'));
      assert.deepEqual(j.slice(-3), ['DumpClusterLogs:ok', 'TearDown:ok', 'Timeout:failed']);
    },
  },
  {
    name: 'SIGINT mid-step with --down (child traps, grandchild in background)',
    args: ['--deployment=none', TESTCMD, '--test-cmd-name=t', '--down', DUMP],
    behaviors: { testcmd: { trap: true, trapMs: 1000, grandchild: true, sleepMs: 4000 } },
    signal: { sig: 'SIGINT', tool: 'testcmd' },
    diffs: ['sigint-down', 'artifacts-dir'],
  },
  {
    name: 'SIGINT mid-step without --down',
    args: ['--deployment=none', TESTCMD, '--test-cmd-name=t', DUMP],
    behaviors: { testcmd: { trap: true, trapMs: 1000, grandchild: true, sleepMs: 4000 } },
    signal: { sig: 'SIGINT', tool: 'testcmd' },
    diffs: [...STD, 'sigint'],
  },
  {
    name: 'SIGTERM mid-step',
    args: ['--deployment=none', TESTCMD, '--test-cmd-name=t', '--down', DUMP],
    behaviors: { testcmd: { trap: true, trapMs: 1000, grandchild: true, sleepMs: 4000 } },
    signal: { sig: 'SIGTERM', tool: 'testcmd' },
    diffs: ['sigterm', 'artifacts-dir'],
  },
  {
    name: '--deployment=aksengine (plans only)',
    args: ['--deployment=aksengine', '--up', '--down', DUMP],
    diffs: ['refused-at-parse-time'],
  },
  {
    name: 'gce: --check-leaked-resources lists at the same places and finds the leaked route',
    args: [...GCE, '--up', '--down', '--check-leaked-resources', DUMP],
    behaviors: {
      'list-resources.sh': {
        stdoutSeq: [
          '[ compute instances ]\n[ compute routes ]\ndefault-route\n',
          '[ compute instances ]\nmaster  us-central1-b\n[ compute routes ]\ndefault-route\n',
          '[ compute instances ]\nmaster  us-central1-b\n[ compute routes ]\ndefault-route\n',
          '[ compute instances ]\n[ compute routes ]\ndefault-route\nleaked-route-1\n',
        ],
      },
    },
    // The original waits 30 s before its After listing; so do we (KUBETEST_LEAK_SETTLE_MS unset).
    capMs: 120_000,
    diffs: [...STD, 'deferred-teardown'],
    check: (o, u) => {
      const files = (x: Obs) => x.files.filter((f) => f.includes('gcp-resources-')).sort();
      assert.deepEqual(files(u), files(o));
      assert.ok(files(u).includes('dump/gcp-resources-diff.txt'), files(u).join(', '));
    },
  },
];
