// kubetest's GCP preparation (its Prepare step, for --provider=gce|gke|node): activate the service account,
// point gcloud at the project, make sure the GCE ssh key exists and is in the project's metadata, and install
// the Cloud SDK from --gcp-cloud-sdk (its bin/ first on PATH for the rest of the run).
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { StepFailure } from '../../process/errors.js';
import type { RunContext } from '../context.js';
import type { Step } from '../step.js';
import { cloudSdkPlan, installCloudSdk } from './cloudsdk.js';
import { LEASED_PROJECT } from '../../deployers/command-deployer.js';

const GCP_PROVIDERS = ['gce', 'gke', 'node'];

export function gcpPrepareSteps(ctx: RunContext): Step[] {
  const { cfg } = ctx;
  if (!GCP_PROVIDERS.includes(cfg.provider)) return [];
  const sa = cfg.gcpServiceAccount;
  const activate = sa ? [['gcloud', 'auth', 'activate-service-account', `--key-file=${sa}`]] : [];
  // The project is --gcp-project, or the one the Boskos Acquire step leased ($PROJECT).
  const setProject = (project: string) => ['gcloud', 'config', 'set', 'project', project];
  const describe = (project: string) => ['gcloud', 'compute', `--project=${project}`, 'project-info', 'describe'];
  const planned = cfg.gcp.project || LEASED_PROJECT;
  const sdk = cfg.gcpCloudSdk ? cloudSdkPlan(cfg.gcpCloudSdk, ctx.env['HOME'] || homedir()) : undefined;
  const step: Step = {
    id: 'prepare',
    name: 'Prepare',
    abortOnFailure: true,
    commands: () => [...activate, setProject(planned), describe(planned), ...(sdk?.commands ?? [])],
    run: async (sc) => {
      const project = cfg.gcp.project || sc.env['PROJECT'];
      if (!project) throw new StepFailure('no GCP project: give --gcp-project, or let kubetest lease one from Boskos');
      // kubetest prepares before it exports the run's variables (KUBECTL, KUBE_CONFIG_FILE, ...).
      const env = { ...sc.env };
      for (const k of ['KUBECTL', 'KUBE_CONFIG_FILE', 'KUBE_RUNTIME_CONFIG']) delete env[k];
      for (const argv of activate) await sc.exec(argv, { env });
      await sc.exec(setProject(project), { env });
      const key = join(sc.env['HOME'] || homedir(), '.ssh', 'google_compute_engine');
      for (const f of [key, `${key}.pub`]) {
        if (!existsSync(f)) throw new StepFailure(`${f} is missing: GCE needs an ssh key (gcloud compute config-ssh)`);
      }
      const out = (await sc.exec(describe(project), { env, captureStdout: true })).stdout;
      if (!out.includes(readFileSync(`${key}.pub`, 'utf8'))) {
        await sc.exec(['gcloud', 'compute', `--project=${project}`, 'config-ssh'], { env });
      }
      if (sdk) return { env: { PATH: await installCloudSdk(sc, sdk) } };
    },
  };
  return [step];
}
