// Every flag kubetest accepts (its --help lists 170), plus ours. Names, types and defaults follow the
// original so that existing job configs parse unchanged; help texts are ours. `env` is the variable read
// when the flag is not given (and, for migrated flags, exported to child processes; see config.ts).

import { boolFlag as b, durationFlag as d, stringFlag as s, type FlagDef } from '../api/flags.js';
import { DEPLOYERS } from '../deployers/registry.js';

export type { FlagDef, FlagKind } from '../api/flags.js';

/** Help sections in order; a deployer plug-in may add its own (registry.ts), shown before "Other". */
export const GROUP_TITLES: Record<string, string> = {
  lifecycle: 'Lifecycle (which steps run, and the deadline)',
  build: 'Build',
  stage: 'Stage and publish',
  extract: 'Extract',
  cluster: 'Cluster: up, down, save',
  test: 'Test',
  dump: 'Dump and reports',
  gcp: 'GCP projects and Boskos',
  local: 'Deployer: local',
  bash: 'Deployer: bash (cluster/ scripts on GCE)',
  kind: 'Deployer: kind',
  gke: 'Deployer: gke',
  kops: 'Deployer: kops',
  kubemark: 'Kubemark',
  node: 'Node e2e',
  azure: 'Deployers: aks, aksengine (accepted; not implemented)',
  other: 'Other',
};

const CORE_FLAGS: readonly FlagDef[] = [
  // lifecycle
  b('up', 'lifecycle', 'Tear down any previous cluster of the same name, then create one.'),
  b('down', 'lifecycle', 'Tear the cluster down at the end, also after a failure, a timeout or a signal.'),
  b('test', 'lifecycle', 'Run the e2e tests (hack/ginkgo-e2e.sh, or ginkgo + e2e.test from the release).'),
  s(
    'deployment',
    'lifecycle',
    'How the cluster is deployed: bash, gke, kind, kops, local, none, node, conformance (aks, aksengine: not ' +
      'implemented).',
    'bash',
  ),
  s(
    'provider',
    'lifecycle',
    'Kubernetes provider passed to cluster scripts and e2e (gce, gke, aws, local, skeleton, ...).',
    '',
    'KUBERNETES_PROVIDER',
  ),
  s('cluster', 'lifecycle', 'Cluster name (required by gke; used by local and kind when set).', '', 'CLUSTER_NAME'),
  d(
    'timeout',
    'lifecycle',
    'Deadline for the whole run (e.g. 320m, 1h30m). When it fires the current step is interrupted and only cleanup ' +
      'steps run, within --cleanup-grace. 0 = none.',
  ),
  {
    name: 'cleanup-grace',
    kind: 'duration',
    group: 'lifecycle',
    def: '15m0s',
    ours: true,
    help: 'Time allowed for dump and teardown after the deadline or a signal; then every child is killed.',
  },
  {
    name: 'dry-run',
    kind: 'string',
    group: 'lifecycle',
    def: '',
    bare: 'text',
    ours: true,
    help: 'Print the plan (steps, extract URLs, env, commands) and run nothing. --dry-run=json prints one JSON object.',
  },
  b(
    'verbose-commands',
    'lifecycle',
    "Stream every child's output to stderr (it is always kept in the step logs).",
    true,
  ),
  b('soak', 'lifecycle', 'Soak mode: reuse the cluster until it is older than --soak-duration, then recreate it.'),
  d('soak-duration', 'lifecycle', 'Maximum age of a soak cluster.', '168h0m0s'),
  {
    name: 'cache-dir',
    kind: 'string',
    group: 'lifecycle',
    def: '',
    env: 'KUBETEST_CACHE_DIR',
    ours: true,
    help: 'Cache for Go builds, releases and tools (default ~/.cache/kubetest).',
  },
  {
    name: 'rundir',
    kind: 'string',
    group: 'lifecycle',
    def: '',
    ours: true,
    help:
      'Where the run keeps what split --up, --test and --down invocations share (deployer state, kubeconfig) ' +
      '(default ./_rundir).',
  },
  {
    name: 'config',
    kind: 'string',
    group: 'lifecycle',
    def: '',
    ours: true,
    help:
      'A YAML file of flags: each key a flag name (up: true, extract: [v1.35.4, v1.36.3]); flags on the command line ' +
      'override it.',
  },
  b('version', 'other', 'Print the kubetest version and exit.'),

  // build
  {
    name: 'build',
    kind: 'string',
    group: 'build',
    def: '',
    bare: 'quick',
    help:
      'Build Kubernetes: quick, release, host-go, bazel, e2e, gce-windows-bazel (make in the k/k tree), ' +
      'module (from Go modules, no checkout), none. Bare --build means quick.',
  },
  {
    name: 'build-version',
    kind: 'string',
    group: 'build',
    def: '',
    env: 'KUBETEST_BUILD_VERSION',
    ours: true,
    help: 'Kubernetes version that --build=module builds (default v1.36.3).',
  },
  {
    name: 'build-output',
    kind: 'string',
    group: 'build',
    def: '',
    ours: true,
    help: 'Where --build=module writes the release (default ./_output).',
  },
  b(
    'flush-mem-after-build',
    'build',
    'Run sync and drop page caches after the build (forced by KUBETEST_IN_DOCKER=true).',
  ),

  // stage and publish
  {
    name: 'stage',
    kind: 'string',
    group: 'stage',
    def: '',
    help: 'Upload the built release to gs://BUCKET/(ci|devel)[/suffix] (s3:// and file:// also work).',
  },
  s('stage-suffix', 'stage', 'Suffix appended to the staged version.'),
  s('registry', 'stage', 'Push images to this registry when staging (e.g. gcr.io/a-project).'),
  b('no-allow-dup', 'stage', 'Refuse to stage a version that already exists at the destination.'),
  s('publish', 'stage', 'On full success, write the tested version to this marker path (gs://, s3://, file://).'),

  // extract
  {
    name: 'extract',
    kind: 'list',
    group: 'extract',
    help:
      'Release to extract: vX.Y.Z, ci/latest, ci/latest-1.N, release/stable, gs://B/p/VER, gs://.../marker.txt, ' +
      'local, gke, gci/FAMILY, s3://, file://, ... Give it twice for skew/upgrade: the first ends in ' +
      'kubernetes_skew/, the second in kubernetes/.',
  },
  s('extract-ci-bucket', 'extract', 'Bucket for ci/ versions.', 'k8s-release-dev'),
  s('extract-release-bucket', 'extract', 'Bucket for release/ versions.', 'kubernetes-release'),
  b('extract-source', 'extract', 'Also fetch kubernetes-src.tar.gz (needs --extract).'),
  {
    name: 'extract-base-url',
    kind: 'string',
    group: 'extract',
    def: '',
    env: 'KUBETEST_EXTRACT_BASE_URL',
    ours: true,
    help: 'Mirror that replaces https://storage.googleapis.com when resolving and downloading releases.',
  },

  // cluster
  s('kubeconfig', 'cluster', 'Kubeconfig of an existing cluster (deployment none and conformance).', '', 'KUBECONFIG'),
  s('cluster-ip-range', 'cluster', '(bash) CLUSTER_IP_RANGE for up and test; computed from the node count when empty.'),
  s('runtime-config', 'cluster', 'API groups/versions to turn on or off in the apiserver (KUBE_RUNTIME_CONFIG).'),
  s(
    'save',
    'cluster',
    'Save kubeconfig and release to this gs:// path after --up (or load them from it when --extract is given without ' +
      '--up).',
  ),

  // test
  s(
    'test_args',
    'test',
    'Arguments for the e2e tests, split on whitespace (no quoting), e.g. --ginkgo.focus=\\[Conformance\\].',
  ),
  {
    name: 'test-arg',
    kind: 'list',
    group: 'test',
    ours: true,
    help:
      "One e2e argument, passed as one argv element after --test_args (for values with spaces: --test-arg='--ginkgo." +
      "focus=a b'); repeat for more.",
  },
  {
    name: 'ginkgo-parallel',
    kind: 'string',
    group: 'test',
    def: '1',
    bare: '25',
    help: 'Ginkgo nodes: bare means 25, =N means N (>= 1).',
  },
  {
    name: 'rerun-failed',
    kind: 'string',
    group: 'test',
    def: '',
    ours: true,
    help:
      'Run only the e2e specs that failed in this artifacts dir or junit file: a --ginkgo.focus built from their ' +
      'exact names replaces the focus of --test_args.',
  },
  s('ginkgo-focus', 'test', 'Ginkgo focus regex (deployers that build their own tester).'),
  s('ginkgo-skip', 'test', 'Ginkgo skip regex (deployers that build their own tester).'),
  s('storage-testdriver-repo-path', 'test', 'Relative path of an external storage test driver config.'),
  s('test-cmd', 'test', 'Run this executable against the cluster (env-expanded; not split).'),
  { name: 'test-cmd-args', kind: 'list', group: 'test', help: 'One argument for --test-cmd; repeat for more.' },
  s('test-cmd-name', 'test', 'Name of the --test-cmd step in junit_runner.xml.'),
  s('pre-test-cmd', 'test', 'Command run before the tests (env-expanded, then split on whitespace).'),
  s('post-test-cmd', 'test', 'Command run after the tests (env-expanded, then split on whitespace).'),
  b(
    'check-version-skew',
    'test',
    'Make kubectl verify that client and server versions match ($KUBECTL carries --match-server-version); when ' +
      'they differ, the Test step fails at once naming both instead of failing every spec.',
    true,
  ),
  b('skew', 'test', 'Run the tests from ../kubernetes_skew (the first --extract).'),
  s('upgrade_args', 'test', 'Run upgrade tests with these args from ../kubernetes_skew before the other tests.'),
  b('charts', 'test', 'Run the helm charts tests.'),

  // dump
  s('dump', 'dump', 'Directory for cluster logs, junit_runner.xml and metadata.json (created if missing).'),
  s('dump-pre-test-logs', 'dump', 'Also dump cluster logs here before the tests run.'),
  b('skip-dump-cluster-logs', 'dump', 'Do not dump cluster logs (reports are still written).'),
  s('logexporter-gcs-path', 'dump', 'GCS path where nodes upload their logs directly (logexporter).'),
  s(
    'upload',
    'dump',
    "At the end, upload the artifacts in Prow's layout: <url>/$JOB_NAME/$BUILD_ID/{started.json,finished.json," +
      "build-log.txt,artifacts/...}; a bare bucket (gs://b) gets Prow's own paths (logs/..., pr-logs/pull/...).",
  ),
  s(
    'metadata-sources',
    'dump',
    'Comma-separated JSON files in the dump dir to merge into metadata.json.',
    'images.json',
  ),
  b(
    'check-leaked-resources',
    'dump',
    'List resources before up and after down (gcp: cluster/gce/list-resources.sh; local: processes, ports, ' +
      'cluster dirs, mounts of the run) and fail on any the run leaked.',
  ),

  // gcp and boskos
  s('gcp-project', 'gcp', 'GCP project (leased from Boskos when empty and needed).', '', 'PROJECT'),
  s('gcp-project-type', 'gcp', 'Boskos resource type to lease (default gce-project, or gke-project for gke).'),
  d('boskos-wait-duration', 'gcp', 'How long to wait for a free Boskos resource.', '5m0s'),
  s('boskos-url', 'gcp', 'Boskos server to lease projects from.', 'http://boskos.test-pods.svc.cluster.local.'),
  d('boskos-heartbeat', 'gcp', 'How often a leased project is marked busy in Boskos (0 disables).', '5m0s'),
  d(
    'boskos-lease-ttl',
    'gcp',
    'With --up and no --down: how long a detached heartbeat keeps the lease for a later --test/--down ' +
      '(in the same --rundir); then it releases the project dirty.',
    '6h0m0s',
  ),
  s('gcp-zone', 'gcp', 'GCP zone (ZONE for gke, KUBE_GCE_ZONE otherwise).'),
  s('gcp-region', 'gcp', 'GCP region.', '', 'REGION'),
  s('gcp-network', 'gcp', 'Cluster network (KUBE_GKE_NETWORK for gke, KUBE_GCE_NETWORK otherwise).'),
  s(
    'gcp-service-account',
    'gcp',
    'Service account key to activate before calling gcloud.',
    '',
    'GOOGLE_APPLICATION_CREDENTIALS',
  ),
  s('gcp-cloud-sdk', 'gcp', 'Install the Cloud SDK from this gs:// path first.', '', 'CLOUDSDK_BUCKET'),
  s('gcp-master-image', 'gcp', 'Master OS image (cos|debian on GCE).', '', 'KUBE_MASTER_OS_DISTRIBUTION'),
  s(
    'gcp-node-image',
    'gcp',
    'Node OS image (cos|debian on GCE, cos|container_vm on GKE).',
    '',
    'KUBE_NODE_OS_DISTRIBUTION',
  ),
  s('image-family', 'gcp', 'Node image family to take the newest image from (needs --image-project).'),
  s('image-project', 'gcp', 'Project of --image-family.'),
  s('gcp-nodes', 'gcp', '(gce) Number of nodes.', '', 'NUM_NODES'),
  s('gcp-node-size', 'gcp', '(gce) Node machine type.', '', 'NODE_SIZE'),
  s('gcp-master-size', 'gcp', '(gce) Master machine type; computed when empty.', '', 'MASTER_SIZE'),
  s('gcp-ssh-proxy-instance-name', 'gcp', '(gce, gke) Proxy test SSH connections through this instance.'),

  // kubemark
  b(
    'kubemark',
    'kubemark',
    'Run kubemark tests (local: a second local cluster of hollow kubemark nodes; bash/gce: test/kubemark scripts).',
  ),
  s('kubemark-nodes', 'kubemark', 'Number of hollow nodes (local: 1 to 500).', '5', 'KUBEMARK_NUM_NODES'),
  s(
    'kubemark-master-size',
    'kubemark',
    'Kubemark master size; computed from --kubemark-nodes when empty.',
    '',
    'KUBEMARK_MASTER_SIZE',
  ),

  // node e2e
  b('node-tests', 'node', 'Run node e2e tests (run_remote.go on GCE).'),
  s('node-args', 'node', 'Args for run_remote.go.'),
  s('node-test-args', 'node', 'Test args for node e2e.'),
];

export const FLAGS: readonly FlagDef[] = [...CORE_FLAGS, ...DEPLOYERS.flatMap((e) => e.flags ?? [])];

/** Help sections in order: the known ones, then any a plug-in adds, then "Other". */
export function helpSections(): Array<[group: string, title: string]> {
  const known = Object.entries(GROUP_TITLES).filter(([g]) => g !== 'other');
  const added = DEPLOYERS.flatMap((e): Array<[string, string]> =>
    e.helpSection ? [[e.helpSection.group, e.helpSection.title]] : [],
  );
  return [...known, ...added.filter(([g]) => !(g in GROUP_TITLES)), ['other', GROUP_TITLES['other']!]];
}

const BY_NAME = new Map<string, FlagDef>(FLAGS.map((f) => [f.name, f]));

export function findFlag(name: string): FlagDef | undefined {
  return BY_NAME.get(name);
}

export const HELP_NAMES = new Set(['h', 'help']);
