// --dry-run=json for real-looking kubetest command lines, compared with the plans kubetest's rules give
// (reference §2, §5, §7, §8). Each expectation was written from those rules, not copied from our output.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { PlanJson } from '../src/run/dryrun.js';
import { runInProcess } from './helpers/cli.js';
import { tempDir } from './helpers/tmp.js';

// Jobs run where the release is (kubetest chdirs into kubernetes/): give the work dir a release tree's scripts.
const W = tempDir('plans');
for (const f of ['hack/ginkgo-e2e.sh', 'cluster/kubectl.sh']) {
  mkdirSync(join(W, 'kubernetes', f, '..'), { recursive: true });
  writeFileSync(join(W, 'kubernetes', f), '#!/bin/sh\n', { mode: 0o755 });
}
const SG = 'https://storage.googleapis.com';
const CI = `${SG}/k8s-release-dev/ci`;
const REL = `${SG}/kubernetes-release/release`;
const GKE_REL = `${SG}/gke-release-staging/kubernetes/release`;
const BASH_STEPS = [
  'Extract',
  'TearDown Previous',
  'Up',
  'Check APIReachability',
  'list nodes',
  'test setup',
  'IsUp',
  'kubectl version',
  'Test',
  'DumpClusterLogs',
  'TearDown',
];
const ex = (arg: string, markerUrl: string | null, releaseUrl: string, version: string | null, dir = 'kubernetes') => ({
  arg,
  markerUrl,
  releaseUrl,
  version,
  dir,
});

interface Case {
  name: string;
  args: string[];
  env?: Record<string, string>;
  steps: string[];
  deployment: string;
  provider?: string;
  extract?: ReturnType<typeof ex>[];
  timeoutSeconds?: number | null;
  envHas?: Record<string, string>;
  envLacks?: string[];
  commands?: Array<{ step: string; argv: string[] }>;
}

const cases: Case[] = [
  {
    name: 'gce conformance CI job (bash deployer)',
    args: [
      '--extract=ci/latest',
      '--gcp-project=k8s-gce',
      '--gcp-zone=us-west1-b',
      '--provider=gce',
      '--up',
      '--test',
      '--down',
      '--dump=/logs/artifacts',
      '--timeout=320m',
      '--test_args=--ginkgo.focus=\\[Conformance\\]',
      '--ginkgo-parallel=30',
    ],
    steps: ['Prepare', ...BASH_STEPS],
    deployment: 'bash',
    provider: 'gce',
    extract: [ex('ci/latest', `${CI}/latest.txt`, CI, null)],
    timeoutSeconds: 19200,
    envHas: {
      KUBERNETES_PROVIDER: 'gce',
      PROJECT: 'k8s-gce',
      KUBE_GCE_ZONE: 'us-west1-b',
      GINKGO_PARALLEL_NODES: '30',
      KUBE_CONFIG_FILE: 'config-test.sh',
      CLOUDSDK_CORE_PRINT_UNHANDLED_TRACEBACKS: '1',
      KUBECTL: './cluster/kubectl.sh --match-server-version',
    },
    envLacks: ['ZONE'],
    commands: [
      { step: 'TearDown Previous', argv: ['./hack/e2e-internal/e2e-down.sh'] },
      { step: 'Up', argv: ['./hack/e2e-internal/e2e-up.sh'] },
      { step: 'Check APIReachability', argv: ['./cluster/kubectl.sh', '--match-server-version=false', 'version'] },
      // kubetest's list nodes and kubectl version steps never fail on a version skew (issue 22, item 1)
      {
        step: 'list nodes',
        argv: ['./cluster/kubectl.sh', '--match-server-version=false', 'get', 'nodes', '-oyaml'],
      },
      { step: 'IsUp', argv: ['./hack/e2e-internal/e2e-status.sh'] },
      { step: 'kubectl version', argv: ['./cluster/kubectl.sh', '--match-server-version=false', 'version'] },
      {
        step: 'Test',
        argv: [
          './hack/ginkgo-e2e.sh',
          '--ginkgo.focus=\\[Conformance\\]',
          '--report-dir=/logs/artifacts',
          '--disable-log-dump=true',
          // no NUM_NODES and no --cluster-ip-range: kubetest passes no range (differential suite)
        ],
      },
      { step: 'DumpClusterLogs', argv: ['./cluster/log-dump/log-dump.sh', '<dump>'] },
      { step: 'TearDown', argv: ['./hack/e2e-internal/e2e-down.sh'] },
    ],
  },
  {
    name: 'gce with env fallbacks instead of flags, and a big cluster ip range',
    args: [
      '--extract=ci/latest-1.36',
      '--up',
      '--down',
      '--test',
      '--test_args=--ginkgo.focus=\\[Feature:Performance\\]',
    ],
    env: {
      KUBERNETES_PROVIDER: 'gce',
      PROJECT: 'env-proj',
      KUBE_GCE_ZONE: 'europe-west1-b',
      NUM_NODES: '1500',
      CLUSTER_NAME: 'e2e-big',
    },
    steps: [
      'Prepare',
      'Extract',
      'TearDown Previous',
      'Up',
      'Check APIReachability',
      'test setup',
      'IsUp',
      'kubectl version',
      'Test',
      'TearDown',
    ],
    deployment: 'bash',
    provider: 'gce',
    extract: [ex('ci/latest-1.36', `${CI}/latest-1.36.txt`, CI, null)],
    envHas: {
      KUBERNETES_PROVIDER: 'gce',
      PROJECT: 'env-proj',
      KUBE_GCE_ZONE: 'europe-west1-b',
      CLUSTER_NAME: 'e2e-big',
      NUM_NODES: '1500',
      GINKGO_PARALLEL_NODES: '1',
    },
    commands: [
      {
        step: 'Test',
        argv: ['./hack/ginkgo-e2e.sh', '--ginkgo.focus=\\[Feature:Performance\\]', '--cluster-ip-range=10.64.0.0/13'],
      },
    ],
  },
  {
    name: 'flags win over env vars',
    args: ['--provider=gce', '--gcp-project=flag-proj', '--gcp-nodes=4', '--test'],
    env: { KUBERNETES_PROVIDER: 'gke', PROJECT: 'env-proj', NUM_NODES: '9' },
    steps: ['Prepare', 'test setup', 'IsUp', 'kubectl version', 'Test'],
    deployment: 'bash',
    provider: 'gce',
    envHas: { KUBERNETES_PROVIDER: 'gce', PROJECT: 'flag-proj', NUM_NODES: '4' },
  },
  {
    name: 'explicit --cluster-ip-range and bash node logging',
    args: [
      '--provider=gce',
      '--up',
      '--cluster-ip-range=10.100.0.0/14',
      '--bash-node-logging',
      '--test',
      '--gcp-nodes=7',
    ],
    steps: [
      'Boskos Acquire',
      'Prepare',
      'TearDown Previous',
      'Up',
      'Check APIReachability',
      'test setup',
      'IsUp',
      'kubectl version',
      'Test',
      'Boskos Keep',
      'Boskos Release',
    ],
    deployment: 'bash',
    provider: 'gce',
    envHas: { NUM_NODES: '7' },
    commands: [{ step: 'Test', argv: ['./hack/ginkgo-e2e.sh', '--cluster-ip-range=10.100.0.0/14'] }],
  },
  {
    name: 'release/stable extract, no cluster: test only against an existing bash cluster',
    args: ['--extract=release/stable', '--test', '--provider=gce', '--check-version-skew=false'],
    steps: [
      'Boskos Acquire',
      'Prepare',
      'Extract',
      'test setup',
      'IsUp',
      'kubectl version',
      'Test',
      'Boskos Keep',
      'Boskos Release',
    ],
    deployment: 'bash',
    provider: 'gce',
    extract: [ex('release/stable', `${REL}/stable.txt`, REL, null)],
    envHas: { KUBECTL: './cluster/kubectl.sh' },
    commands: [{ step: 'kubectl version', argv: ['./cluster/kubectl.sh', '--match-server-version=false', 'version'] }],
  },
  {
    name: 'skew job: two extracts, --skew',
    args: [
      '--extract=ci/latest',
      '--extract=ci/latest-1.35',
      '--provider=gce',
      '--up',
      '--down',
      '--skew',
      '--test',
      '--check-version-skew=false',
      '--test_args=--ginkgo.focus=\\[sig-cli\\]',
    ],
    steps: [
      'Boskos Acquire',
      'Prepare',
      'Extract',
      'TearDown Previous',
      'Up',
      'Check APIReachability',
      'test setup',
      'IsUp',
      'kubectl version',
      'SkewTest',
      'TearDown',
      'Boskos Release',
    ],
    deployment: 'bash',
    provider: 'gce',
    extract: [
      ex('ci/latest', `${CI}/latest.txt`, CI, null, 'kubernetes_skew'),
      ex('ci/latest-1.35', `${CI}/latest-1.35.txt`, CI, null, 'kubernetes'),
    ],
  },
  {
    name: 'upgrade job: v2 then v1, --upgrade_args',
    args: [
      '--extract=v1.36.3',
      '--extract=v1.35.4',
      '--provider=gce',
      '--up',
      '--down',
      '--check-version-skew=false',
      '--upgrade_args=--ginkgo.focus=\\[Feature:MasterUpgrade\\] --upgrade-target=ci/latest',
      '--timeout=900m',
    ],
    steps: [
      'Boskos Acquire',
      'Prepare',
      'Extract',
      'TearDown Previous',
      'Up',
      'Check APIReachability',
      'test setup',
      'UpgradeTest',
      'TearDown',
      'Boskos Release',
    ],
    deployment: 'bash',
    provider: 'gce',
    timeoutSeconds: 54000,
    extract: [
      ex('v1.36.3', null, REL, 'v1.36.3', 'kubernetes_skew'),
      ex('v1.35.4', null, REL, 'v1.35.4', 'kubernetes'),
    ],
  },
  {
    name: 'gke cluster with default shape',
    args: [
      '--deployment=gke',
      '--cluster=e2e-gke',
      '--gcp-project=gke-proj',
      '--gcp-zone=us-central1-c',
      '--extract=gke-latest-1.36',
      '--up',
      '--down',
      '--test',
      '--test_args=--ginkgo.focus=\\[Conformance\\]',
    ],
    steps: [
      'Extract',
      'TearDown Previous',
      'Up',
      'Check APIReachability',
      'test setup',
      'IsUp',
      'kubectl version',
      'Test',
      'TearDown',
    ],
    deployment: 'gke',
    extract: [ex('gke-latest-1.36', null, GKE_REL, null)],
    envHas: {
      ZONE: 'us-central1-c',
      PROJECT: 'gke-proj',
      CLUSTER_NAME: 'e2e-gke',
      CLOUDSDK_CORE_PRINT_UNHANDLED_TRACEBACKS: '1',
    },
    envLacks: ['KUBE_GCE_ZONE'],
    commands: [
      {
        step: 'Extract',
        argv: [
          'gcloud',
          'container',
          'get-server-config',
          '--project=gke-proj',
          '--format=value(validMasterVersions)',
          '--zone=us-central1-c',
        ],
      },
      {
        step: 'TearDown Previous',
        argv: [
          'gcloud',
          'container',
          'clusters',
          'delete',
          '--quiet',
          'e2e-gke',
          '--project=gke-proj',
          '--zone=us-central1-c',
        ],
      },
      {
        step: 'Up',
        argv: [
          'gcloud',
          'container',
          'clusters',
          'create',
          '--quiet',
          'e2e-gke',
          '--project=gke-proj',
          '--zone=us-central1-c',
          '--machine-type=e2-standard-2',
          '--num-nodes=3',
          '--network=default',
        ],
      },
      {
        step: 'Up',
        argv: [
          'gcloud',
          'container',
          'clusters',
          'get-credentials',
          'e2e-gke',
          '--project=gke-proj',
          '--zone=us-central1-c',
        ],
      },
      { step: 'Test', argv: ['./hack/ginkgo-e2e.sh', '--ginkgo.focus=\\[Conformance\\]', '--num-nodes=3'] },
      {
        step: 'TearDown',
        argv: [
          'gcloud',
          'container',
          'clusters',
          'delete',
          '--quiet',
          'e2e-gke',
          '--project=gke-proj',
          '--zone=us-central1-c',
        ],
      },
    ],
  },
  {
    name: 'gke regional, custom network, beta track, extra node pool',
    args: [
      '--deployment=gke',
      '--cluster=c2',
      '--gcp-project=p2',
      '--gcp-region=us-east1',
      '--gcp-network=e2e-net',
      '--gke-command-group=beta',
      '--gke-shape={"default":{"Nodes":2,"MachineType":"n1-standard-4"},"heapster":{"Nodes":1,"MachineType":"n1-standard-8"}}',
      '--up',
      '--down',
    ],
    steps: ['TearDown Previous', 'Up', 'Check APIReachability', 'TearDown'],
    deployment: 'gke',
    envHas: { KUBE_GKE_NETWORK: 'e2e-net', REGION: 'us-east1' },
    commands: [
      {
        step: 'Up',
        argv: ['gcloud', 'compute', 'networks', 'create', 'e2e-net', '--project=p2', '--subnet-mode=auto'],
      },
      {
        step: 'Up',
        argv: [
          'gcloud',
          'beta',
          'container',
          'clusters',
          'create',
          '--quiet',
          'c2',
          '--project=p2',
          '--region=us-east1',
          '--machine-type=n1-standard-4',
          '--num-nodes=2',
          '--network=e2e-net',
        ],
      },
      {
        step: 'Up',
        argv: [
          'gcloud',
          'beta',
          'container',
          'node-pools',
          'create',
          'heapster',
          '--cluster=c2',
          '--project=p2',
          '--region=us-east1',
          '--machine-type=n1-standard-8',
          '--num-nodes=1',
        ],
      },
      { step: 'TearDown', argv: ['gcloud', 'compute', 'networks', 'delete', '--quiet', 'e2e-net', '--project=p2'] },
    ],
  },
  {
    name: '--provider=gke implies --deployment=gke',
    args: ['--provider=gke', '--cluster=c3', '--gcp-project=p3', '--gcp-zone=asia-east1-a', '--up'],
    steps: ['Prepare', 'TearDown Previous', 'Up', 'Check APIReachability'],
    deployment: 'gke',
    provider: 'gke',
  },
  {
    name: 'gke node image mapping to NODE_OS_DISTRIBUTION',
    args: [
      '--deployment=gke',
      '--provider=gke', // kubetest maps the image for --provider=gke (prepareGcp)
      '--cluster=c4',
      '--gcp-project=p4',
      '--gcp-zone=z',
      '--gcp-node-image=cos_containerd',
      '--test',
    ],
    steps: ['Prepare', 'test setup', 'IsUp', 'kubectl version', 'Test'],
    deployment: 'gke',
    provider: 'gke',
    envHas: { NODE_OS_DISTRIBUTION: 'gci', KUBE_NODE_OS_DISTRIBUTION: 'cos_containerd' },
  },
  {
    name: 'kops on aws',
    args: [
      '--deployment=kops',
      '--provider=aws',
      '--cluster=e2e.k8s.local',
      '--kops-state=s3://kops-state',
      '--kops-zones=us-west-2a',
      '--kops-nodes=4',
      '--kops-kubernetes-version=https://storage.googleapis.com/k8s-release-dev/ci/v1.36.3',
      '--up',
      '--down',
      '--test',
      '--test_args=--ginkgo.focus=\\[Conformance\\]',
      '--timeout=120m',
    ],
    steps: [
      'TearDown Previous',
      'Up',
      'Check APIReachability',
      'test setup',
      'IsUp',
      'kubectl version',
      'Test',
      'TearDown',
    ],
    deployment: 'kops',
    provider: 'aws',
    timeoutSeconds: 7200,
    commands: [
      { step: 'TearDown Previous', argv: ['kops', 'delete', 'cluster', 'e2e.k8s.local', '--yes'] },
      {
        step: 'Up',
        argv: [
          'kops',
          'create',
          'cluster',
          '--name=e2e.k8s.local',
          `--ssh-public-key=${process.env['HOME']}/.ssh/kube_aws_rsa.pub`,
          '--node-count=4',
          '--node-volume-size=48',
          '--master-volume-size=48',
          '--master-count=1',
          '--zones=us-west-2a',
          '--master-size=c5.large',
          '--kubernetes-version=https://storage.googleapis.com/k8s-release-dev/ci/v1.36.3',
          '--yes',
        ],
      },
      { step: 'Up', argv: ['kops', 'export', 'kubecfg', 'e2e.k8s.local', '--admin'] },
      { step: 'Up', argv: ['kops', 'validate', 'cluster', 'e2e.k8s.local', '--wait=20m0s'] },
      { step: 'IsUp', argv: ['kops', 'validate', 'cluster', 'e2e.k8s.local'] },
      { step: 'TearDown', argv: ['kops', 'delete', 'cluster', 'e2e.k8s.local', '--yes'] },
    ],
  },
  {
    name: 'kops on gce with extra args',
    args: [
      '--deployment=kops',
      '--provider=gce',
      '--cluster=e2e-kops-gce',
      '--kops-args=--channel=alpha --networking=calico',
      '--kops-state=gs://kops-gce-state',
      '--up',
    ],
    steps: [
      'Boskos Acquire',
      'Prepare',
      'TearDown Previous',
      'Up',
      'Check APIReachability',
      'Boskos Keep',
      'Boskos Release',
    ],
    deployment: 'kops',
    provider: 'gce',
    commands: [{ step: 'Up', argv: ['kops', 'create', 'cluster', '--name=e2e-kops-gce'] }],
  },
  {
    name: 'kind job (dump forced to $ARTIFACTS)',
    args: [
      '--deployment=kind',
      '--provider=skeleton',
      '--kind-config-path=/cfg/kind.yaml',
      '--up',
      '--down',
      '--test',
      '--test_args=--ginkgo.focus=\\[Conformance\\]',
    ],
    env: { ARTIFACTS: '/logs/artifacts' },
    steps: [
      'TearDown Previous',
      'Up',
      'Check APIReachability',
      'list nodes',
      'test setup',
      'IsUp',
      'kubectl version',
      'Test',
      'DumpClusterLogs',
      'TearDown',
    ],
    deployment: 'kind',
    provider: 'skeleton',
    commands: [
      {
        step: 'Up',
        argv: [
          'kind',
          'create',
          'cluster',
          '--retain',
          '--wait=1m',
          '--verbosity=9',
          '--config=/cfg/kind.yaml',
          '--name=kind-kubetest',
          `--kubeconfig=${process.env['HOME']}/.kubetest/kind/kind-kubetest/kubeconfig`,
        ],
      },
      {
        step: 'Test',
        argv: [
          './hack/ginkgo-e2e.sh',
          '--ginkgo.focus=\\[Conformance\\]',
          '--report-dir=/logs/artifacts',
          '--disable-log-dump=true',
        ],
      },
      { step: 'DumpClusterLogs', argv: ['kind', 'export', 'logs', '<dump>', '--name=kind-kubetest'] },
      {
        step: 'TearDown',
        argv: [
          'kind',
          'delete',
          'cluster',
          '--name=kind-kubetest',
          `--kubeconfig=${process.env['HOME']}/.kubetest/kind/kind-kubetest/kubeconfig`,
        ],
      },
    ],
  },
  {
    name: 'kind with a named cluster, node image and kubeconfig path',
    args: [
      '--deployment=kind',
      '--kind-cluster-name=k2',
      '--kind-node-image=kindest/node:v1.36.3',
      '--kind-kubeconfig-path=/tmp/k2.kubeconfig',
      '--up',
    ],
    steps: ['TearDown Previous', 'Up', 'Check APIReachability', 'list nodes', 'DumpClusterLogs'],
    deployment: 'kind',
    envHas: { KUBECTL: 'kubectl --kubeconfig=/tmp/k2.kubeconfig --match-server-version' },
    commands: [
      {
        step: 'Up',
        argv: [
          'kind',
          'create',
          'cluster',
          '--retain',
          '--wait=1m',
          '--verbosity=9',
          '--image=kindest/node:v1.36.3',
          '--name=k2',
          '--kubeconfig=/tmp/k2.kubeconfig',
        ],
      },
    ],
  },
  {
    name: 'local: the main job',
    args: [
      '--build=module',
      '--extract=local',
      '--deployment=local',
      '--provider=local',
      '--up',
      '--test',
      '--down',
      '--dump=_artifacts',
      '--timeout=60m',
      '--ginkgo-parallel=4',
      '--test_args=--ginkgo.focus=Watchers --ginkgo.label-filter=Conformance',
    ],
    steps: [
      'Build',
      'Extract',
      'TearDown Previous',
      'Up',
      'Check APIReachability',
      'list nodes',
      'test setup',
      'IsUp',
      'kubectl version',
      'Test',
      'DumpClusterLogs',
      'TearDown',
    ],
    deployment: 'local',
    provider: 'local',
    timeoutSeconds: 3600,
    extract: [ex('local', null, `file://${W}/_output/gcs-stage`, null)],
    envHas: {
      GINKGO_PARALLEL_NODES: '4',
      KUBERNETES_PROVIDER: 'local',
      KUBECTL: `${W}/kubernetes/platforms/linux/amd64/kubectl --kubeconfig=${W}/_rundir/local/local/admin.kubeconfig --match-server-version`,
    },
    commands: [
      { step: 'Build', argv: ['go', 'mod', 'download', '-json', 'k8s.io/kubernetes@v1.36.3'] },
      {
        step: 'Check APIReachability',
        argv: [
          `${W}/kubernetes/platforms/linux/amd64/kubectl`,
          `--kubeconfig=${W}/_rundir/local/local/admin.kubeconfig`,
          '--match-server-version=false',
          'version',
        ],
      },
      {
        step: 'Test',
        argv: [
          './hack/ginkgo-e2e.sh',
          '--ginkgo.focus=Watchers',
          '--ginkgo.label-filter=Conformance',
          `--report-dir=${W}/_artifacts`,
          '--disable-log-dump=true',
        ],
      },
    ],
  },
  {
    name: 'local: a second cluster by name, more nodes',
    args: ['--deployment=local', '--cluster=second', '--local-nodes=3', '--up'],
    steps: ['TearDown Previous', 'Up', 'Check APIReachability'],
    deployment: 'local',
    envHas: {
      CLUSTER_NAME: 'second',
      KUBECTL: `${W}/kubernetes/platforms/linux/amd64/kubectl --kubeconfig=${W}/_rundir/local/second/admin.kubeconfig --match-server-version`,
    },
  },
  {
    name: 'local split invocation: --down only',
    args: ['--deployment=local', '--down'],
    steps: ['TearDown'],
    deployment: 'local',
  },
  {
    name: 'none deployer with --test-cmd and args, pre/post commands',
    args: [
      '--deployment=none',
      '--kubeconfig=/etc/kube/config',
      '--test-cmd=$HOME/run.sh',
      '--test-cmd-args=--fast',
      '--test-cmd-args=two words',
      '--test-cmd-name=mytests',
      '--pre-test-cmd=./pre.sh --x $PROJECT',
      '--post-test-cmd=./post.sh',
    ],
    env: { PROJECT: 'pp' },
    steps: ['test setup', 'pre-test command', 'mytests', 'post-test command'],
    deployment: 'none',
    envHas: { KUBECONFIG: '/etc/kube/config' },
    commands: [
      { step: 'pre-test command', argv: ['./pre.sh', '--x', 'pp'] },
      { step: 'mytests', argv: [`${process.env['HOME']}/run.sh`, '--fast', 'two words'] },
      { step: 'post-test command', argv: ['./post.sh'] },
    ],
  },
  {
    name: 'none deployer with --test and --test-cmd: both run, each after its own test setup',
    args: ['--deployment=none', '--test', '--test-cmd=/bin/true'],
    steps: ['test setup', 'IsUp', 'kubectl version', 'Test', 'test setup', '/bin/true'],
    deployment: 'none',
  },
  {
    name: 'conformance deployer skips kubectl version',
    args: ['--deployment=conformance', '--kubeconfig=/k', '--test', '--provider=skeleton'],
    steps: ['test setup', 'IsUp', 'Test'],
    deployment: 'conformance',
    provider: 'skeleton',
  },
  {
    name: 'pre-test dump, skip final dump',
    args: ['--deployment=none', '--dump-pre-test-logs=/pre', '--dump=/d', '--test', '--skip-dump-cluster-logs=false'],
    steps: ['pre-test DumpClusterLogs', 'test setup', 'IsUp', 'kubectl version', 'Test', 'DumpClusterLogs'],
    deployment: 'none',
  },
  {
    name: '--skip-dump-cluster-logs removes both dumps',
    args: ['--deployment=none', '--dump-pre-test-logs=/pre', '--dump=/d', '--test', '--skip-dump-cluster-logs'],
    steps: ['test setup', 'IsUp', 'kubectl version', 'Test'],
    deployment: 'none',
  },
  {
    name: 'build quick, stage, extract from the staged location',
    args: [
      '--build',
      '--stage=gs://my-bucket/devel/pr-123',
      '--extract=gs://my-bucket/devel/pr-123/v1.37.0-alpha.1',
      '--provider=gce',
      '--up',
      '--down',
    ],
    steps: [
      'Boskos Acquire',
      'Prepare',
      'Build',
      'Stage',
      'Extract',
      'TearDown Previous',
      'Up',
      'Check APIReachability',
      'TearDown',
      'Boskos Release',
    ],
    deployment: 'bash',
    provider: 'gce',
    extract: [
      ex('gs://my-bucket/devel/pr-123/v1.37.0-alpha.1', null, `${SG}/my-bucket/devel/pr-123`, 'v1.37.0-alpha.1'),
    ],
    commands: [
      { step: 'Build', argv: ['make', '-C', `${process.env['HOME']}/go/src/k8s.io/kubernetes`, 'quick-release'] },
    ],
  },
  {
    name: 'extract from a marker in a bucket, with a mirror',
    args: [
      '--extract=gs://k8s-release-dev/ci/latest-fast.txt',
      '--extract-base-url=http://mirror.local:8080',
      '--deployment=none',
      '--test',
    ],
    steps: ['Extract', 'test setup', 'IsUp', 'kubectl version', 'Test'],
    deployment: 'none',
    extract: [
      ex(
        'gs://k8s-release-dev/ci/latest-fast.txt',
        'gs://k8s-release-dev/ci/latest-fast.txt',
        'http://mirror.local:8080/k8s-release-dev/ci',
        null,
      ),
    ],
  },
  {
    name: 'ci/latest-fast with custom buckets',
    args: [
      '--extract=ci/latest-fast',
      '--extract-ci-bucket=my-ci',
      '--extract-release-bucket=my-rel',
      '--deployment=none',
    ],
    steps: ['Extract'],
    deployment: 'none',
    extract: [ex('ci/latest-fast', `${SG}/my-ci/ci/latest-fast.txt`, `${SG}/my-ci/ci/fast`, null)],
  },
  {
    name: 'env-expanded --extract',
    args: ['--extract=gs://$BUCKET/ci/${VERSION}', '--deployment=none'],
    env: { BUCKET: 'b1', VERSION: 'v1.36.3' },
    steps: ['Extract'],
    deployment: 'none',
    extract: [ex('gs://b1/ci/v1.36.3', null, `${SG}/b1/ci`, 'v1.36.3')],
  },
  {
    name: 'a +build version goes to the CI bucket',
    args: ['--extract=v1.37.0-alpha.0.391+575c4925be8c39', '--deployment=none'],
    steps: ['Extract'],
    deployment: 'none',
    extract: [ex('v1.37.0-alpha.0.391+575c4925be8c39', null, CI, 'v1.37.0-alpha.0.391+575c4925be8c39')],
  },
  {
    name: 'save after up (cluster kept), publish on success',
    args: [
      '--provider=gce',
      '--extract=v1.36.3',
      '--up',
      '--save=gs://saves/job-1',
      '--publish=gs://markers/latest-green.txt',
    ],
    steps: [
      'Boskos Acquire',
      'Prepare',
      'Extract',
      'TearDown Previous',
      'Up',
      'Check APIReachability',
      'Save Cluster State',
      'Publish version',
      'Boskos Keep',
      'Boskos Release',
    ],
    deployment: 'bash',
    provider: 'gce',
    extract: [ex('v1.36.3', null, REL, 'v1.36.3')],
  },
  {
    name: 'no save of a deleted cluster (kubetest bug §14.2)',
    args: ['--provider=gce', '--up', '--down', '--save=gs://saves/job-1'],
    steps: [
      'Boskos Acquire',
      'Prepare',
      'TearDown Previous',
      'Up',
      'Check APIReachability',
      'TearDown',
      'Boskos Release',
    ],
    deployment: 'bash',
    provider: 'gce',
  },
  {
    name: 'kubemark job',
    args: [
      '--provider=gce',
      '--extract=ci/latest',
      '--up',
      '--down',
      '--kubemark',
      '--kubemark-nodes=100',
      '--kubemark-master-size=n1-standard-4',
      '--test=false',
    ],
    steps: [
      'Boskos Acquire',
      'Prepare',
      'Extract',
      'TearDown Previous',
      'Up',
      'Check APIReachability',
      'Kubemark Overall',
      'TearDown',
      'Boskos Release',
    ],
    deployment: 'bash',
    provider: 'gce',
    extract: [ex('ci/latest', `${CI}/latest.txt`, CI, null)],
    envHas: { KUBEMARK_NUM_NODES: '100', KUBEMARK_MASTER_SIZE: 'n1-standard-4' },
  },
  {
    name: 'kubemark on the local deployer: hollow nodes in a cluster of their own, torn down with --down',
    args: ['--deployment=local', '--up', '--down', '--kubemark', '--kubemark-nodes=50'],
    steps: ['TearDown Previous', 'Up', 'Check APIReachability', 'Kubemark Overall', 'Kubemark TearDown', 'TearDown'],
    deployment: 'local',
    envHas: { KUBEMARK_NUM_NODES: '50' },
    commands: [
      {
        step: 'Kubemark Overall',
        argv: ['./hack/ginkgo-e2e.sh', '--ginkgo.focus=starting\\s30\\spods', '--report-prefix=kubemark'],
      },
    ],
  },
  {
    name: 'node e2e job',
    args: [
      '--deployment=node',
      '--provider=gce',
      '--gcp-project=node-proj',
      '--gcp-zone=us-west1-b',
      '--node-tests',
      '--test',
      '--node-args=--image-config-file=/cfg.yaml',
      '--timeout=65m',
    ],
    steps: ['Prepare', 'test setup', 'Node Tests'],
    deployment: 'node',
    provider: 'gce',
    timeoutSeconds: 3900,
    envHas: { PROJECT: 'node-proj' },
  },
  {
    name: 'GINKGO_PARALLEL=y means 25 nodes; --ginkgo-parallel bare too',
    args: ['--deployment=none', '--test'],
    env: { GINKGO_PARALLEL: 'y' },
    steps: ['test setup', 'IsUp', 'kubectl version', 'Test'],
    deployment: 'none',
    envHas: { GINKGO_PARALLEL_NODES: '25' },
  },
  {
    name: '--test-arg: one argument each (spaces kept), after the fields of --test_args',
    args: [
      '--deployment=none',
      '--test',
      '--test_args=--ginkgo.skip=\\[Serial\\]  -v',
      '--test-arg=--ginkgo.focus=should find the server version',
      '--test-arg=--ginkgo.label-filter=Conformance && !Slow',
    ],
    steps: ['test setup', 'IsUp', 'kubectl version', 'Test'],
    deployment: 'none',
    commands: [
      {
        step: 'Test',
        argv: [
          './hack/ginkgo-e2e.sh',
          '--ginkgo.skip=\\[Serial\\]',
          '-v',
          '--ginkgo.focus=should find the server version',
          '--ginkgo.label-filter=Conformance && !Slow',
        ],
      },
    ],
  },
  {
    name: 'runtime config is exported',
    args: ['--deployment=none', '--runtime-config=api/all=true', '--ginkgo-parallel'],
    steps: [],
    deployment: 'none',
    envHas: { KUBE_RUNTIME_CONFIG: 'api/all=true', GINKGO_PARALLEL_NODES: '25' },
  },
];

describe('--dry-run=json plans for real command lines', () => {
  after(() => {
    // A dry run creates nothing.
    assert.deepEqual(readdirSync(W), ['kubernetes']);
    assert.deepEqual(readdirSync(join(W, 'kubernetes')).sort(), ['cluster', 'hack']);
  });
  for (const c of cases) {
    it(c.name, async () => {
      const r = await runInProcess([...c.args, '--dry-run=json'], {
        cwd: W,
        env: { HOME: process.env['HOME'], ...c.env },
      });
      assert.equal(r.code, 0, r.stderr);
      const p = JSON.parse(r.stdout) as PlanJson;
      assert.deepEqual(p.steps, c.steps);
      assert.equal(p.deployment, c.deployment);
      assert.equal(p.provider, c.provider ?? '');
      assert.deepEqual(p.extract, c.extract ?? []);
      assert.equal(p.timeoutSeconds, c.timeoutSeconds ?? null);
      for (const [k, v] of Object.entries(c.envHas ?? {})) assert.equal(p.env[k], v, `env ${k}`);
      for (const k of c.envLacks ?? []) assert.equal(p.env[k], undefined, `env ${k} must not be exported`);
      let from = 0;
      for (const want of c.commands ?? []) {
        const i = p.commands.findIndex(
          (got, idx) => idx >= from && got.step === want.step && want.argv.every((a, j) => got.argv[j] === a),
        );
        assert.ok(
          i >= 0,
          `missing (in order) ${want.step}: ${want.argv.join(' ')}\nplan commands:\n${p.commands.map((x) => `${x.step}: ${x.argv.join(' ')}`).join('\n')}`,
        );
        from = i + 1;
      }
    });
  }
  it(`covers at least 30 command lines (${cases.length})`, () => assert.ok(cases.length >= 30));

  it('--dry-run (text) prints the steps in order and runs nothing', async () => {
    const r = await runInProcess(['--deployment=none', '--test', '--dump=/d', '--dry-run'], { cwd: W, env: {} });
    assert.equal(r.code, 0);
    assert.match(r.stdout, /1\. test setup\n\s+2\. IsUp\n[\s\S]*4\. Test\n[\s\S]*5\. DumpClusterLogs/);
  });
});
