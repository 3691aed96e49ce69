// --stage: upload a built release to gs://BUCKET/(ci|devel)[/suffix]/<version>/ (s3:// and file:// too), in
// the official layout with checksums, then write the version markers; markers only after every file is up.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { StageTarget } from '../run/config.js';
import { StepFailure } from '../process/errors.js';
import type { RunStepContext, RunView } from '../run/step.js';
import { joinUrl, storeFor } from '../storage/index.js';

export function stageRoot(t: StageTarget): string {
  const base = `${t.scheme}://${t.bucket}`;
  return joinUrl(base, t.ci ? 'ci' : 'devel', ...(t.suffix ? [t.suffix] : []));
}

export function stagedVersion(version: string, suffix: string): string {
  return suffix ? `${version}-${suffix}` : version;
}

/** latest.txt, latest-1.txt, latest-1.36.txt: what CI jobs resolve with --extract=ci/latest[-1.N]. */
export function markerNames(version: string): string[] {
  const m = /^v(\d+)\.(\d+)/.exec(version);
  return m ? ['latest.txt', `latest-${m[1]}.txt`, `latest-${m[1]}.${m[2]}.txt`] : ['latest.txt'];
}

function builtDir(ctx: RunView): { version: string; dir: string } {
  if (ctx.builtRelease) return ctx.builtRelease;
  const root = join(ctx.cfg.buildOutput, 'gcs-stage');
  const v = existsSync(root)
    ? readdirSync(root)
        .filter((d) => d.startsWith('v') && !d.includes('.tmp-'))
        .sort((a, b) => statSync(join(root, b)).mtimeMs - statSync(join(root, a)).mtimeMs)[0]
    : undefined;
  if (!v) throw new StepFailure(`--stage: no built release in ${root} (add --build=module or --build)`);
  return { version: v, dir: join(root, v) };
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

export async function runStage(sc: RunStepContext): Promise<void> {
  const { cfg } = sc.run;
  const target = cfg.stage!;
  const built = builtDir(sc.run);
  const version = stagedVersion(built.version, cfg.stageSuffix);
  const root = stageRoot(target);
  const dest = joinUrl(root, version);
  const store = await storeFor(root, sc.env);
  if (cfg.noAllowDup && (await store.exists(joinUrl(dest, 'kubernetes.tar.gz')))) {
    throw new StepFailure(`--stage: ${version} is already staged at ${dest} and --no-allow-dup is set`);
  }
  // kubernetes.tar.gz last, markers after everything: a reader never sees a half-staged release.
  const files = listFiles(built.dir);
  const ordered = [
    ...files.filter(
      (f) => f !== 'kubernetes.tar.gz' && f !== 'kubernetes.tar.gz.sha256' && f !== 'kubernetes.tar.gz.sha512',
    ),
    'kubernetes.tar.gz.sha256',
    'kubernetes.tar.gz.sha512',
    'kubernetes.tar.gz',
  ].filter((f) => files.includes(f));
  const t0 = Date.now();
  let bytes = 0;
  let next = 0;
  const upload = async () => {
    while (next < ordered.length - 1) {
      const f = ordered[next++]!;
      if (sc.signal.aborted) throw sc.signal.reason;
      await store.uploadFile(joinUrl(dest, f), join(built.dir, f));
      bytes += statSync(join(built.dir, f)).size;
    }
  };
  await Promise.all([upload(), upload(), upload()]);
  const last = ordered[ordered.length - 1]!;
  await store.uploadFile(joinUrl(dest, last), join(built.dir, last));
  bytes += statSync(join(built.dir, last)).size;
  sc.log(
    `staged ${ordered.length} files (${(bytes / 1e6).toFixed(0)} MB) to ${dest} in ` +
      `${((Date.now() - t0) / 1000).toFixed(1)}s`,
  );
  for (const m of markerNames(version)) {
    await store.write(joinUrl(root, m), version, {
      contentType: 'text/plain',
      cacheControl: 'private, max-age=0, no-transform',
    });
  }
  sc.log(`markers ${markerNames(version).join(', ')} in ${root} now say ${version}`);
}
