// Every flag kubetest accepts (its --help lists 170), plus ours. Names, types and defaults follow the
// original so that existing job configs parse unchanged; help texts are ours. `env` is the variable read
// when the flag is not given (and, for migrated flags, exported to child processes; see config.ts).

export type FlagKind = 'bool' | 'string' | 'int' | 'duration' | 'list';

export type FlagGroup =
  | 'lifecycle'
  | 'build'
  | 'stage'
  | 'extract'
  | 'cluster'
  | 'test'
  | 'dump'
  | 'gcp'
  | 'local'
  | 'bash'
  | 'kind'
  | 'gke'
  | 'kops'
  | 'kubemark'
  | 'node'
  | 'azure'
  | 'other';

export const GROUP_TITLES: Record<FlagGroup, string> = {
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

export interface FlagDef {
  name: string;
  kind: FlagKind;
  group: FlagGroup;
  help: string;
  /** Default as a typed value; bool defaults to false, string to "", list to []. */
  def?: string | number | boolean;
  /** Value given by the bare form (`--build` ⇒ "quick"). Makes a non-bool flag take values only after `=`. */
  bare?: string;
  /** Environment variable read when the flag is absent. */
  env?: string;
  /** Flags this project added (not in kubetest). */
  ours?: boolean;
  /** Hidden from --help (aliases). */
  hidden?: boolean;
}

const b = (name: string, group: FlagGroup, help: string, def = false): FlagDef => ({
  name,
  kind: 'bool',
  group,
  help,
  def,
});
const s = (name: string, group: FlagGroup, help: string, def = '', env?: string): FlagDef => ({
  name,
  kind: 'string',
  group,
  help,
  def,
  ...(env ? { env } : {}),
});
const i = (name: string, group: FlagGroup, help: string, def = 0): FlagDef => ({ name, kind: 'int', group, help, def });
const d = (name: string, group: FlagGroup, help: string, def = '0s'): FlagDef => ({
  name,
  kind: 'duration',
  group,
  help,
  def,
});

export const FLAGS: readonly FlagDef[] = [
  // lifecycle
  b('up', 'lifecycle', 'Tear down any previous cluster of the same name, then create one.'),
  b('down', 'lifecycle', 'Tear the cluster down at the end, also after a failure, a timeout or a signal.'),
  b('test', 'lifecycle', 'Run the e2e tests (hack/ginkgo-e2e.sh, or ginkgo + e2e.test from the release).'),
  s(
    'deployment',
    'lifecycle',
    'How the cluster is deployed: bash, gke, kind, kops, local, none, node, conformance (aks, aksengine: not implemented).',
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
    'Deadline for the whole run (e.g. 320m, 1h30m). When it fires the current step is interrupted and only cleanup steps run, within --cleanup-grace. 0 = none.',
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
  b('version', 'other', 'Print the kubetest version and exit.'),

  // build
  {
    name: 'build',
    kind: 'string',
    group: 'build',
    def: '',
    bare: 'quick',
    help: 'Build Kubernetes: quick, release, host-go, bazel, e2e, gce-windows-bazel (make in the k/k tree), module (from Go modules, no checkout), none. Bare --build means quick.',
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
    help: 'Release to extract: vX.Y.Z, ci/latest, ci/latest-1.N, release/stable, gs://B/p/VER, gs://.../marker.txt, local, gke, gci/FAMILY, s3://, file://, ... Give it twice for skew/upgrade: the first ends in kubernetes_skew/, the second in kubernetes/.',
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
    'Save kubeconfig and release to this gs:// path after --up (or load them from it when --extract is given without --up).',
  ),

  // test
  s(
    'test_args',
    'test',
    'Arguments for the e2e tests, split on whitespace (no quoting), e.g. --ginkgo.focus=\\[Conformance\\].',
  ),
  {
    name: 'ginkgo-parallel',
    kind: 'string',
    group: 'test',
    def: '1',
    bare: '25',
    help: 'Ginkgo nodes: bare means 25, =N means N (>= 1).',
  },
  s('ginkgo-focus', 'test', 'Ginkgo focus regex (deployers that build their own tester).'),
  s('ginkgo-skip', 'test', 'Ginkgo skip regex (deployers that build their own tester).'),
  s('storage-testdriver-repo-path', 'test', 'Relative path of an external storage test driver config.'),
  s('test-cmd', 'test', 'Run this executable against the cluster (env-expanded; not split).'),
  { name: 'test-cmd-args', kind: 'list', group: 'test', help: 'One argument for --test-cmd; repeat for more.' },
  s('test-cmd-name', 'test', 'Name of the --test-cmd step in junit_runner.xml.'),
  s('pre-test-cmd', 'test', 'Command run before the tests (env-expanded, then split on whitespace).'),
  s('post-test-cmd', 'test', 'Command run after the tests (env-expanded, then split on whitespace).'),
  b('check-version-skew', 'test', 'Make kubectl verify that client and server versions match.', true),
  b('skew', 'test', 'Run the tests from ../kubernetes_skew (the first --extract).'),
  s('upgrade_args', 'test', 'Run upgrade tests with these args from ../kubernetes_skew before the other tests.'),
  b('charts', 'test', 'Run the helm charts tests.'),

  // dump
  s('dump', 'dump', 'Directory for cluster logs, junit_runner.xml and metadata.json (created if missing).'),
  s('dump-pre-test-logs', 'dump', 'Also dump cluster logs here before the tests run.'),
  b('skip-dump-cluster-logs', 'dump', 'Do not dump cluster logs (reports are still written).'),
  s('logexporter-gcs-path', 'dump', 'GCS path where nodes upload their logs directly (logexporter).'),
  s(
    'metadata-sources',
    'dump',
    'Comma-separated JSON files in the dump dir to merge into metadata.json.',
    'images.json',
  ),
  b(
    'check-leaked-resources',
    'dump',
    'Not implemented yet: refused (kubetest lists cloud resources before up and after down and fails on leaks).',
  ),

  // gcp and boskos
  s('gcp-project', 'gcp', 'GCP project (leased from Boskos when empty and needed).', '', 'PROJECT'),
  s('gcp-project-type', 'gcp', 'Boskos resource type to lease (default gce-project, or gke-project for gke).'),
  d('boskos-wait-duration', 'gcp', 'How long to wait for a free Boskos resource.', '5m0s'),
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

  // local
  d('local-up-timeout', 'local', 'How long up may take before the cluster must answer with a Ready node.', '2m0s'),
  {
    name: 'local-nodes',
    kind: 'int',
    group: 'local',
    def: 1,
    ours: true,
    help: 'Number of nodes in the local cluster.',
  },
  {
    name: 'local-apiserver-port',
    kind: 'int',
    group: 'local',
    def: 0,
    ours: true,
    help: 'Port of the local kube-apiserver on 127.0.0.1 (0: a free port).',
  },
  {
    name: 'local-node-type',
    kind: 'string',
    group: 'local',
    def: 'kwok',
    ours: true,
    help: 'Local nodes: kwok (simulated kubelets; pods become Running as API objects) or kubelet (not yet available).',
  },

  // bash
  b('bash-node-logging', 'bash', 'Enable node logging to GCP (KUBE_ENABLE_NODE_LOGGING).'),

  // kind
  s('kind-config-path', 'kind', 'kind cluster config file.'),
  s('kind-kubeconfig-path', 'kind', 'Kubeconfig that kind writes (default ~/.kubetest/kind/<cluster>/kubeconfig).'),
  s('kind-base-image', 'kind', 'Base image for kind build node-image.'),
  s('kind-binary-version', 'kind', 'kind binary: stable (pinned download) or build (from source).', 'stable'),
  s('kind-cluster-name', 'kind', 'kind cluster name.', 'kind-kubetest'),
  s('kind-node-image', 'kind', 'Node image (ignored when --build builds one).'),

  // gke
  s('gke-additional-zones', 'gke', 'Additional zones; node pools are created symmetrically in each.'),
  s('gke-command-group', 'gke', 'gcloud track (e.g. alpha, beta) for every gcloud container command.'),
  s('gke-create-args', 'gke', 'Deprecated: extra args for clusters create (use --gke-create-command).'),
  s('gke-create-command', 'gke', 'gcloud subcommand that creates the cluster.', 'container clusters create --quiet'),
  b('gke-create-nat', 'gke', 'Create Cloud NAT for clusters with private nodes.'),
  b('gke-create-nat-before-cluster', 'gke', 'Create the NAT before the cluster.'),
  s('gke-custom-subnet', 'gke', "Create and use a custom subnet: '<name> --region=R --range=CIDR [args]'."),
  d('gke-down-timeout', 'gke', 'Timeout of clusters delete.', '1h0m0s'),
  s('gke-dump-additional-logs-cmd', 'gke', 'Extra command run when dumping cluster logs.'),
  s('gke-dump-configmaps', 'gke', 'JSON list of ConfigMaps to dump ([{"Name","Namespace","DataKey"}]).', '[]'),
  s('gke-environment', 'gke', 'Container API endpoint: test, staging, prod or an https:// URL.'),
  s('gke-gcloud-args', 'gke', 'Extra args for the custom gcloud command.'),
  s('gke-gcloud-command', 'gke', 'gcloud executable used to create the cluster.', 'gcloud'),
  s('gke-instance-group-prefix', 'gke', 'Instance group prefix.', 'gke'),
  i('gke-nat-min-ports-per-vm', 'gke', 'NAT ports per VM.', 64),
  s('gke-node-locations', 'gke', 'Zones for the nodes.'),
  s('gke-node-ports', 'gke', "Node ports to open to the master ('tcp:8443,...')."),
  b('gke-node-tag-from-firewall-rules', 'gke', 'Take the node tag from existing firewall rules.'),
  s('gke-release-channel', 'gke', 'Release channel of the cluster.'),
  b('gke-remove-network', 'gke', 'Delete a non-default network at the end.', true),
  s(
    'gke-shape',
    'gke',
    'JSON node pools; "default" is required.',
    '{"default":{"Nodes":3,"MachineType":"e2-standard-2"}}',
  ),
  b(
    'gke-single-zone-node-instance-group',
    'gke',
    "Put only one zone's instance groups into NODE_INSTANCE_GROUP.",
    true,
  ),
  s('gke-subnet-mode', 'gke', 'Subnet mode of a created network.', 'auto'),

  // kops
  s('kops', 'kops', 'Path to kops (downloaded from --kops-base-url when empty).'),
  s('kops-admin-access', 'kops', 'Restrict apiserver access to this CIDR.'),
  s('kops-args', 'kops', 'Extra space-separated args for kops create cluster.'),
  s('kops-base-url', 'kops', 'Base URL of a prebuilt kops.'),
  s('kops-cluster', 'kops', 'Deprecated: cluster name (defaults to --cluster).'),
  i('kops-disk-size', 'kops', 'Disk size of nodes and masters.', 48),
  s('kops-dns-provider', 'kops', 'DNS provider: CoreDNS or KubeDNS.'),
  s('kops-etcd-version', 'kops', 'etcd version.'),
  s('kops-feature-flags', 'kops', 'Comma-separated kops feature flags.'),
  s('kops-image', 'kops', 'Node image (AMI).'),
  s('kops-kubernetes-version', 'kops', 'Kubernetes version (or release URL) to deploy.'),
  i('kops-master-count', 'kops', 'Number of masters.', 1),
  s('kops-master-size', 'kops', 'Master instance type.', 'c5.large'),
  b('kops-multiple-zones', 'kops', 'Spread over multiple zones.'),
  s('kops-network-mode', 'kops', 'Networking: kubenet, calico, cilium, ...'),
  i('kops-nodes', 'kops', 'Number of nodes.', 2),
  s('kops-overrides', 'kops', 'Comma-separated cluster config overrides.'),
  s('kops-priority-path', 'kops', 'Prepend this to PATH.'),
  s('kops-publish', 'kops', 'Publish the kops version to this gs:// path on success.'),
  s('kops-ssh-key', 'kops', 'SSH key pair for the nodes (default ~/.ssh/kube_aws_rsa).'),
  s('kops-ssh-public-key', 'kops', 'SSH public key (default: --kops-ssh-key + .pub).'),
  s('kops-ssh-user', 'kops', 'SSH user for the nodes.'),
  s('kops-state', 'kops', 's3:// state store (required on AWS).'),
  d('kops-up-timeout', 'kops', 'How long until the API answers after kops update.', '20m0s'),
  s('kops-version', 'kops', 'URL of a file holding a kops base URL.'),
  s('kops-zones', 'kops', 'Comma-separated zones.'),

  // kubemark
  b('kubemark', 'kubemark', 'Run kubemark tests.'),
  s('kubemark-nodes', 'kubemark', 'Number of hollow nodes.', '5', 'KUBEMARK_NUM_NODES'),
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

  // azure (accepted for compatibility)
  s('aks-custom-headers', 'azure', 'key=value,... headers for cluster creation.'),
  s('aksengine-admin-password', 'azure', 'Admin password.'),
  s('aksengine-admin-username', 'azure', 'Admin user.'),
  i('aksengine-agentpoolcount', 'azure', 'Agent pool count.'),
  s('aksengine-agentvmsize', 'azure', 'Agent VM size.'),
  s('aksengine-azure-env', 'azure', 'Azure cloud.', 'AzurePublicCloud'),
  b('aksengine-ccm', 'azure', 'Build a custom cloud controller manager.'),
  b('aksengine-check-params', 'azure', 'Validate the input parameters.', true),
  b('aksengine-cnm', 'azure', 'Build a custom cloud node manager.'),
  s('aksengine-creds', 'azure', 'Credential file.'),
  s('aksengine-custom-cloud-url', 'azure', 'Portal URL of a custom cloud.'),
  b('aksengine-deploy-custom-k8s', 'azure', 'Deploy a custom-built Kubernetes.'),
  s('aksengine-dnsprefix', 'azure', 'Master DNS prefix.'),
  s('aksengine-download-url', 'azure', 'aks-engine download URL.'),
  b('aksengine-dump-cluster-logs', 'azure', 'Dump cluster logs.', true),
  s('aksengine-identity-system', 'azure', 'Identity system: azure_ad or adfs.', 'azure_ad'),
  s('aksengine-location', 'azure', 'Location.'),
  s('aksengine-mastervmsize', 'azure', 'Master VM size.'),
  s('aksengine-md5-sum', 'azure', 'Checksum of the aks-engine download.'),
  s('aksengine-networkPlugin', 'azure', 'Network plugin.', 'azure'),
  b('aksengine-node-problem-detector', 'azure', 'Enable node problem detector.'),
  s('aksengine-orchestratorRelease', 'azure', 'Orchestrator release.'),
  s('aksengine-private-key', 'azure', 'SSH private key.'),
  s('aksengine-public-key', 'azure', 'SSH public key.'),
  s('aksengine-resource-name', 'azure', 'Resource name.'),
  s('aksengine-resourcegroup-name', 'azure', 'Resource group.'),
  s('aksengine-template-url', 'azure', 'Template URL.'),
  b('aksengine-win-binaries', 'azure', 'Build a zip of Windows binaries.'),
  s(
    'aksengine-winZipBuildScript',
    'azure',
    'Script that builds the Windows zip.',
    'https://raw.githubusercontent.com/Azure/aks-engine/master/scripts/build-windows-k8s.sh',
  ),
  b('build-with-kubemark', 'azure', 'Build kubemark clusters.'),
  s('clusterloader2-bin-url', 'azure', 'clusterloader2 binary URL.'),
  s('external-cluster-template-url', 'azure', 'External kubemark cluster template URL.'),
  s('hollow-nodes-deployment-url', 'azure', 'Hollow nodes deployment URL.'),
  s('kubemark-build-script-url', 'azure', 'Kubemark build script URL.'),
  s('kubemark-cluster-template-url', 'azure', 'Kubemark cluster template URL.'),
  s('kubemark-location', 'azure', 'Kubemark location.', 'southcentralus'),
  s('kubemark-size', 'azure', 'Hollow nodes in the kubemark cluster.', '100'),
  b('run-external-e2e-ginkgo-test', 'azure', 'Run external e2e ginkgo tests for a CSI driver.'),
  b('test-azure-disk-csi-driver', 'azure', 'Test the Azure Disk CSI driver.'),
  b('test-azure-file-csi-driver', 'azure', 'Test the Azure File CSI driver.'),
  b('test-blob-csi-driver', 'azure', 'Test the Blob CSI driver.'),
  b('test-ccm', 'azure', 'Test the cloud controller manager.'),
  b('test-csi-driver-nfs', 'azure', 'Test the NFS CSI driver.'),
  b('test-csi-driver-smb', 'azure', 'Test the SMB CSI driver.'),
  b('test-secrets-store-csi-driver', 'azure', 'Test the Secrets Store CSI driver.'),
];

const BY_NAME = new Map<string, FlagDef>(FLAGS.map((f) => [f.name, f]));

export function findFlag(name: string): FlagDef | undefined {
  return BY_NAME.get(name);
}

export const HELP_NAMES = new Set(['h', 'help']);
