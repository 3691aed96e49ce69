// --upload: the run's artifacts in Prow's GCS layout, so Spyglass, Testgrid and the GCS browser read them as
// any Prow job's: <job root>/{started.json, finished.json, build-log.txt, artifacts/...}, and for periodic and
// postsubmit jobs <jobs dir>/<job>/latest-build.txt. A bare bucket (gs://b) gets Prow's own paths by $JOB_TYPE;
// a bucket with a path (gs://b/logs) is the jobs dir for every job type. Links in the artifacts are never
// followed (a test may have left one pointing anywhere).
import { lstatSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { joinUrl, storeFor } from '../storage/index.js';

export interface ProwUploadInput {
  url: string;
  env: NodeJS.ProcessEnv;
  /** The artifacts dir ($ARTIFACTS, else --dump): started.json and finished.json go to the job root. */
  artifactsDir: string;
  buildLog: string;
}

/** The job root (<jobs dir>/<job>/<build>) and the jobs dir, as Prow's gcsupload names them. */
export function prowPaths(url: string, env: NodeJS.ProcessEnv): { root: string; jobsDir: string } {
  const job = env['JOB_NAME'] ?? '';
  const build = env['BUILD_ID'] ?? '';
  const bare = /^[a-z0-9]+:\/\/[^/]+\/?$/.test(url);
  let jobsDir = url.replace(/\/+$/, '');
  if (bare) {
    const type = env['JOB_TYPE'] ?? 'periodic';
    const repo = `${env['REPO_OWNER'] ?? ''}_${env['REPO_NAME'] ?? ''}`;
    if (type === 'presubmit') jobsDir = joinUrl(jobsDir, 'pr-logs', 'pull', repo, env['PULL_NUMBER'] ?? '');
    else if (type === 'batch') jobsDir = joinUrl(jobsDir, 'pr-logs', 'pull', 'batch');
    else jobsDir = joinUrl(jobsDir, 'logs');
  }
  return { root: joinUrl(jobsDir, job, build), jobsDir };
}

function contentType(name: string): string {
  if (name.endsWith('.json')) return 'application/json';
  if (name.endsWith('.xml')) return 'application/xml';
  if (name.endsWith('.html')) return 'text/html; charset=utf-8';
  if (/\.(txt|log)$/.test(name)) return 'text/plain; charset=utf-8';
  return 'application/octet-stream';
}

/** Regular files below `dir`, relative, sorted; symlinks and special files are left out. */
function files(dir: string, base = dir, out: string[] = []): string[] {
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    const st = lstatSync(p);
    if (st.isDirectory()) files(p, base, out);
    else if (st.isFile()) out.push(relative(base, p).split(sep).join('/'));
  }
  return out;
}

/** A name that means the same as a path and as an object URL (no %, #, ?, \\, no . or .. segment). */
const SAFE_SEGMENT = /^[A-Za-z0-9_@+=,~ -][A-Za-z0-9._@+=,~ -]*$/;
const safeName = (rel: string) => rel.split('/').every((seg) => SAFE_SEGMENT.test(seg) && seg !== '..');

export interface UploadResult {
  uploaded: string[];
  /** Artifacts left out: their names would not survive a URL (they stay in the artifacts dir). */
  skipped: string[];
}

/** Uploads everything whose name is safe in a URL; returns the object URLs written and what was left out. */
export async function uploadToProw(o: ProwUploadInput): Promise<UploadResult> {
  const { root, jobsDir } = prowPaths(o.url, o.env);
  const store = await storeFor(o.url, o.env);
  const plan: Array<[string, string]> = [];
  const skipped: string[] = [];
  for (const rel of files(o.artifactsDir)) {
    if (!safeName(rel)) {
      skipped.push(rel);
      continue;
    }
    const top = rel === 'started.json' || rel === 'finished.json';
    plan.push([join(o.artifactsDir, rel), top ? joinUrl(root, rel) : joinUrl(root, 'artifacts', rel)]);
  }
  plan.push([o.buildLog, joinUrl(root, 'build-log.txt')]);
  const done: string[] = [];
  // finished.json last: Prow's readers take it as "the job is over and everything is there".
  plan.sort(([, a], [, b]) => Number(a.endsWith('/finished.json')) - Number(b.endsWith('/finished.json')));
  for (const [path, url] of plan) {
    await store.uploadFile(url, path, { contentType: contentType(url) });
    done.push(url);
  }
  const type = o.env['JOB_TYPE'] ?? 'periodic';
  if (type === 'periodic' || type === 'postsubmit') {
    const latest = joinUrl(jobsDir, o.env['JOB_NAME'] ?? '', 'latest-build.txt');
    await store.write(latest, o.env['BUILD_ID'] ?? '', { contentType: 'text/plain', cacheControl: 'no-cache' });
    done.push(latest);
  }
  return { uploaded: done, skipped };
}
