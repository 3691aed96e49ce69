// Where --extract will read from, known without fetching anything (for the plan and --dry-run).
import { join } from 'node:path';
import type { RunConfig } from '../run/config.js';
import {
  defaultResolveOptions,
  extractDirs,
  GOOGLE_STORAGE,
  locate,
  type ResolveOptions,
  type ResolvedExtract,
} from './strategies.js';

export { goArch } from '../util/platform.js';

export function resolveOptions(cfg: RunConfig, ctx?: { kubeRoot: string }): ResolveOptions {
  return defaultResolveOptions({
    baseUrl: cfg.extractBaseUrl || GOOGLE_STORAGE,
    ciBucket: cfg.extractCiBucket,
    releaseBucket: cfg.extractReleaseBucket,
    localStageDir: join(cfg.buildOutput, 'gcs-stage'),
    kubeRoot: ctx?.kubeRoot ?? cfg.workDir,
    project: cfg.gcp.project,
    zone: cfg.gcp.zone,
    region: cfg.gcp.region,
    gkeCommandGroup: cfg.gkeCommandGroup,
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

export function extractCommands(ctx: { cfg: RunConfig }): string[][] {
  const o = resolveOptions(ctx.cfg);
  return ctx.cfg.extract.flatMap((s) => locate(s, o).commands);
}
