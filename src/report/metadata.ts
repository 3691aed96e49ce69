// metadata.json (../shared/reference/kubetest.md §4) and Prow's started.json / finished.json.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareBytes } from '../util/gostrings.js';

export interface MetadataInput {
  dumpDir: string | undefined;
  sources: string[]; // --metadata-sources, relative to the dump dir
  version: string; // job version
  kubetestVersion: string;
  env: NodeJS.ProcessEnv;
  extra?: Record<string, string>;
}

export function buildMetadata(input: MetadataInput): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (input.dumpDir) {
    for (const src of input.sources) {
      const p = join(input.dumpDir, src);
      if (!existsSync(p)) continue;
      try {
        const data = JSON.parse(readFileSync(p, 'utf8')) as unknown;
        // kubetest decodes into map[string]string: a value that is not a string becomes "" (Go's zero value)
        if (data && typeof data === 'object' && !Array.isArray(data)) {
          for (const [k, v] of Object.entries(data)) out[k] = typeof v === 'string' ? v : '';
        }
      } catch {
        // kubetest logs and ignores unreadable sources; so do we
      }
    }
  }
  Object.assign(out, input.extra ?? {});
  out['job-version'] = input.version;
  out['revision'] = input.version;
  out['kubetest-version'] = input.kubetestVersion;
  for (const [k, v] of Object.entries(input.env)) {
    if (k.startsWith('BUILD_METADATA_') && v !== undefined) out[k.slice('BUILD_METADATA_'.length).toLowerCase()] = v;
  }
  return sortKeys(out);
}

export function startedJson(startedAtMs: number, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = { timestamp: Math.floor(startedAtMs / 1000) };
  if (env['NODE_NAME']) out['node'] = env['NODE_NAME'];
  if (env['PULL_REFS'] && env['REPO_OWNER'] && env['REPO_NAME']) {
    out['repos'] = { [`${env['REPO_OWNER']}/${env['REPO_NAME']}`]: env['PULL_REFS'] };
  }
  if (env['PULL_PULL_SHA']) out['repo-commit'] = env['PULL_PULL_SHA'];
  else if (env['PULL_BASE_SHA']) out['repo-commit'] = env['PULL_BASE_SHA'];
  // Which ProwJob this was, for a reader of the uploaded artifacts (Prow's own started.json keeps it elsewhere).
  const prow = Object.fromEntries(
    [
      ['prowjob-id', env['PROW_JOB_ID']],
      ['job-type', env['JOB_TYPE']],
    ].filter((kv): kv is [string, string] => !!kv[1]),
  );
  if (Object.keys(prow).length) out['metadata'] = prow;
  return out;
}

export function finishedJson(
  finishedAtMs: number,
  result: 'SUCCESS' | 'FAILURE' | 'ABORTED',
  version: string,
  metadata: Record<string, unknown>,
): Record<string, unknown> {
  return {
    timestamp: Math.floor(finishedAtMs / 1000),
    passed: result === 'SUCCESS',
    result,
    revision: version,
    'job-version': version,
    metadata,
  };
}

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => compareBytes(a, b)));
}
