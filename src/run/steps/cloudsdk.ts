// --gcp-cloud-sdk (kubetest's installGcloud): fetch <path>/google-cloud-sdk.tar.gz, unpack it into ~/cloudsdk
// (as a hostile archive: no entry outside, no link out), run its install.sh without touching rc files, put its
// bin/ first on PATH for every later step, and add the alpha and beta components.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { joinUrl } from '../../util/urls.js';
import type { RunStepContext } from '../step.js';

export interface CloudSdkPlan {
  tarball: string;
  location: string;
  bin: string;
  commands: string[][];
}

export function cloudSdkPlan(base: string, home: string): CloudSdkPlan {
  const location = join(home, 'cloudsdk');
  const sdk = join(location, 'google-cloud-sdk');
  const bin = join(sdk, 'bin');
  const gcloud = join(bin, 'gcloud');
  const install = [
    join(sdk, 'install.sh'),
    '--disable-installation-options',
    '--bash-completion=false',
    '--path-update=false',
    '--usage-reporting=false',
  ];
  return {
    tarball: joinUrl(base, 'google-cloud-sdk.tar.gz'),
    location,
    bin,
    commands: [
      install,
      [gcloud, 'components', 'install', 'alpha', '--quiet'],
      [gcloud, 'components', 'install', 'beta', '--quiet'],
      [gcloud, 'info'],
    ],
  };
}

/** Installs the SDK; returns the PATH later steps get. */
export async function installCloudSdk(sc: RunStepContext, plan: CloudSdkPlan): Promise<string> {
  sc.log(`installing the Cloud SDK from ${plan.tarball} into ${plan.location}`);
  rmSync(join(plan.location, 'google-cloud-sdk'), { recursive: true, force: true });
  mkdirSync(plan.location, { recursive: true });
  // Loaded only when used: the tar library is most of a cold start's reading.
  const [{ storeFor }, { safeUnpack }] = await Promise.all([
    import('../../storage/index.js'),
    import('../../release/untar.js'),
  ]);
  const store = await storeFor(plan.tarball, sc.env);
  const h = await store.openRead(plan.tarball, sc.signal);
  await safeUnpack(h.stream, { cwd: plan.location, label: plan.tarball, gzip: true });
  const path = `${plan.bin}:${sc.env['PATH'] ?? ''}`;
  const env = { ...sc.env, PATH: path };
  for (const argv of plan.commands) await sc.exec(argv, { env });
  return path;
}
