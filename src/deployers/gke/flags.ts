// Flags of the gke deployer: help section "gke".
import { type FlagDef, boolFlag, durationFlag, intFlag, stringFlag } from '../../api/flags.js';

const b = boolFlag;
const d = durationFlag;
const i = intFlag;
const s = stringFlag;

export const FLAGS: readonly FlagDef[] = [
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
];
