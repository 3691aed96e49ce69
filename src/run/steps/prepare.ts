// kubetest's GCP preparation (its Prepare step, for --provider=gce|gke|node): activate the service account,
// point gcloud at the project, make sure the GCE ssh key exists and is in the project's metadata.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { StepFailure } from '../../process/errors.js';
import type { RunContext } from '../context.js';
import type { Step } from '../step.js';

const GCP_PROVIDERS = ['gce', 'gke', 'node'];

export function gcpPrepareSteps(ctx: RunContext): Step[] {
  const { cfg } = ctx;
  if (!GCP_PROVIDERS.includes(cfg.provider)) return [];
  const project = cfg.gcp.project;
  const sa = cfg.gcpServiceAccount;
  const activate = sa ? [['gcloud', 'auth', 'activate-service-account', `--key-file=${sa}`]] : [];
  const setProject = ['gcloud', 'config', 'set', 'project', project];
  const describe = ['gcloud', 'compute', `--project=${project}`, 'project-info', 'describe'];
  const step: Step = {
    id: 'prepare',
    name: 'Prepare',
    abortOnFailure: true,
    commands: () => [...activate, setProject, describe],
    run: async (sc) => {
      if (!project) throw new StepFailure('--gcp-project is needed (leasing a project from Boskos is not implemented)');
      // kubetest prepares before it exports the run's variables (KUBECTL, KUBE_CONFIG_FILE, ...).
      const env = { ...sc.env };
      for (const k of ['KUBECTL', 'KUBE_CONFIG_FILE', 'KUBE_RUNTIME_CONFIG']) delete env[k];
      for (const argv of activate) await sc.exec(argv, { env });
      await sc.exec(setProject, { env });
      const key = join(sc.env['HOME'] || homedir(), '.ssh', 'google_compute_engine');
      for (const f of [key, `${key}.pub`]) {
        if (!existsSync(f)) throw new StepFailure(`${f} is missing: GCE needs an ssh key (gcloud compute config-ssh)`);
      }
      const out = (await sc.exec(describe, { env, captureStdout: true })).stdout;
      if (!out.includes(readFileSync(`${key}.pub`, 'utf8'))) {
        await sc.exec(['gcloud', 'compute', `--project=${project}`, 'config-ssh'], { env });
      }
    },
  };
  return [step];
}
