// Typed options of the bash deployer, read from its flags (and the shared ones it uses).
import type { FlagValues } from '../../api/flags.js';

export interface BashOptions {
  clusterIpRange: string;
  logexporterGcsPath: string;
  bashNodeLogging: boolean;
  gcpSshProxyInstanceName: string;
  gcpProject: string;
  gcpZone: string;
}

export function readBashOptions(values: FlagValues): BashOptions {
  return {
    clusterIpRange: values.str('cluster-ip-range'),
    logexporterGcsPath: values.str('logexporter-gcs-path'),
    bashNodeLogging: values.bool('bash-node-logging'),
    gcpSshProxyInstanceName: values.str('gcp-ssh-proxy-instance-name'),
    gcpProject: values.str('gcp-project'),
    gcpZone: values.str('gcp-zone'),
  };
}
