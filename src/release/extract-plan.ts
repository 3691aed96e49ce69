// Where --extract will read from, known without fetching anything (for the plan and --dry-run).
import { join } from 'node:path';
import { str, type RunConfig } from '../cli/config.js';
import type { RunContext } from '../run/context.js';
import {
  defaultResolveOptions,
  extractDirs,
  GOOGLE_STORAGE,
  locate,
  type ResolveOptions,
  type ResolvedExtract,
} from './strategies.js';

export function goArch(arch: string = process.arch): string {
  return arch === 'x64' ? 'amd64' : arch === 'ia32' ? '386' : arch;
}

export function resolveOptions(cfg: RunConfig, ctx?: Pick<RunContext, 'kubeRoot'>): ResolveOptions {
  return defaultResolveOptions({
    baseUrl: cfg.extractBaseUrl || GOOGLE_STORAGE,
    ciBucket: str(cfg, 'extract-ci-bucket'),
    releaseBucket: str(cfg, 'extract-release-bucket'),
    localStageDir: join(cfg.buildOutput, 'gcs-stage'),
    kubeRoot: ctx?.kubeRoot ?? cfg.workDir,
    project: str(cfg, 'gcp-project'),
    zone: str(cfg, 'gcp-zone'),
    region: str(cfg, 'gcp-region'),
    gkeCommandGroup: str(cfg, 'gke-command-group'),
  });
}

export interface PlannedExtract extends Omit<ResolvedExtract, 'commands'> {
  dir: string;
}

/** What --dry-run shows: URLs without fetching markers. */
export function planExtracts(cfg: RunConfig): PlannedExtract[] {
  const dirs = extractDirs(cfg.extract.length);
  const o = resolveOptions(cfg);
  return cfg.extract.map((s, i) => {
    const { commands: _c, ...r } = locate(s, o);
    return { ...r, dir: dirs[i]! };
  });
}

export function extractCommands(ctx: Pick<RunContext, 'cfg'>): string[][] {
  const o = resolveOptions(ctx.cfg);
  return ctx.cfg.extract.flatMap((s) => locate(s, o).commands);
}
