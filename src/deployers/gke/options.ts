// Typed options of the gke deployer, read from its flags (and the shared ones it uses).
import type { FlagValues } from '../../api/flags.js';

export interface GkeOptions {
  gcpProject: string;
  gcpZone: string;
  gcpRegion: string;
  gcpNetwork: string;
  gkeShape: string;
  gkeCommandGroup: string;
  gkeGcloudCommand: string;
  gkeAdditionalZones: string;
  gkeEnvironment: string;
  gkeSubnetMode: string;
  gkeCreateCommand: string;
  gkeReleaseChannel: string;
  gkeNodeLocations: string;
  gcpNodeImage: string;
  gkeCreateArgs: string;
  gkeDumpAdditionalLogsCmd: string;
  gkeRemoveNetwork: boolean;
  /** Flags given on the command line (for checks that refuse flags of other deployers). */
  given: { has(name: string): boolean };
}

export function readGkeOptions(values: FlagValues): GkeOptions {
  return {
    gcpProject: values.str('gcp-project'),
    gcpZone: values.str('gcp-zone'),
    gcpRegion: values.str('gcp-region'),
    gcpNetwork: values.str('gcp-network'),
    gkeShape: values.str('gke-shape'),
    gkeCommandGroup: values.str('gke-command-group'),
    gkeGcloudCommand: values.str('gke-gcloud-command'),
    gkeAdditionalZones: values.str('gke-additional-zones'),
    gkeEnvironment: values.str('gke-environment'),
    gkeSubnetMode: values.str('gke-subnet-mode'),
    gkeCreateCommand: values.str('gke-create-command'),
    gkeReleaseChannel: values.str('gke-release-channel'),
    gkeNodeLocations: values.str('gke-node-locations'),
    gcpNodeImage: values.str('gcp-node-image'),
    gkeCreateArgs: values.str('gke-create-args'),
    gkeDumpAdditionalLogsCmd: values.str('gke-dump-additional-logs-cmd'),
    gkeRemoveNetwork: values.bool('gke-remove-network'),
    given: { has: (name) => values.given(name) },
  };
}
