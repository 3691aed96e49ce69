// The Extract step: resolve each --extract to (release URL, version), then download, verify and unpack the tree
// get-kube.sh + get-kube-binaries.sh would produce, without running them (../shared/reference/kubetest.md §5). Targets
// appear only when complete; a warm cache turns a repeat extract into hard links.
import { createHash } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { StepFailure } from '../process/errors.js';
import type { RunStepContext as StepContext, RunStepOutput } from '../run/step.js';
import { joinUrl, storeFor } from '../storage/index.js';
import type { FetchResult, FetchSpec } from './download.js';
import { publishedChecksum } from './checksums.js';
import { cacheLimits, pruneCache, touch } from './cache-gc.js';
import { linkOrCopy, linkTree } from './fsutil.js';
import { readMarker, VERSION_RE, type SmallReadOptions } from './markers.js';
import { loadSavedRelease } from './save.js';
import { extractDirs, locate, type ExtractStrategy, type ResolveOptions } from './strategies.js';
import { goArch, resolveOptions } from './extract-plan.js';
import { DownloadProgress } from './progress.js';
import { DEFAULT_LIMITS, ExtractRoot } from './untar.js';
import { removeDeadLeftovers } from './leftovers.js';

/** The files of one release for this host, and where each is unpacked (get-kube-binaries.sh's layout). */
export function releaseFiles(
  versionUrl: string,
  stage: string,
  opts: { serverArch: string; clientArch: string; os: string; source: boolean },
): FetchSpec[] {
  const k = join(stage, 'kubernetes');
  const plat = join(k, 'platforms', opts.os, opts.clientArch);
  const u = (f: string) => joinUrl(versionUrl, f);
  const specs: FetchSpec[] = [
    {
      name: 'kubernetes.tar.gz',
      url: u('kubernetes.tar.gz'),
      required: true,
      unpack: [{ dir: stage, strip: 0, linkRoot: k }],
    },
    {
      name: `kubernetes-server-${opts.os}-${opts.serverArch}.tar.gz`,
      url: u(`kubernetes-server-${opts.os}-${opts.serverArch}.tar.gz`),
      required: true,
      unpack: [{ dir: stage, strip: 0, linkRoot: k, include: (p) => p.startsWith('kubernetes/server/') }],
    },
    {
      name: `kubernetes-client-${opts.os}-${opts.clientArch}.tar.gz`,
      url: u(`kubernetes-client-${opts.os}-${opts.clientArch}.tar.gz`),
      required: true,
      unpack: [{ dir: plat, strip: 3, linkRoot: k }],
    },
    {
      name: `kubernetes-test-${opts.os}-${opts.clientArch}.tar.gz`,
      url: u(`kubernetes-test-${opts.os}-${opts.clientArch}.tar.gz`),
      required: true,
      unpack: [{ dir: plat, strip: 3, linkRoot: k }],
    },
    {
      name: 'kubernetes-test-portable.tar.gz',
      url: u('kubernetes-test-portable.tar.gz'),
      required: true,
      unpack: [{ dir: k, strip: 1, linkRoot: k }],
    },
    // Ours (built by --build=module): etcd for the local deployer; absent in upstream releases.
    {
      name: `kubernetes-etcd-${opts.os}-${opts.serverArch}.tar.gz`,
      url: u(`kubernetes-etcd-${opts.os}-${opts.serverArch}.tar.gz`),
      required: false,
      unpack: [{ dir: k, strip: 1, linkRoot: k }],
    },
  ];
  if (opts.source)
    specs.push({
      name: 'kubernetes-src.tar.gz',
      url: u('kubernetes-src.tar.gz'),
      required: true,
      unpack: [{ dir: k, strip: 0, linkRoot: k }],
    });
  return specs;
}

/** How markers and checksum files are read: capped, with the stall timeout and the retries of this run. */
function smallReads(sc: StepContext): SmallReadOptions {
  const k = sc.run.cfg.knobs;
  return { env: sc.env, signal: sc.signal, stallMs: k.stallTimeoutMs, retries: k.downloadRetries };
}

interface Located {
  strategy: ExtractStrategy;
  releaseUrl: string;
  version: string;
  versionUrl: string;
  /** Env the strategy exports (gci: the image it resolved). */
  env?: Record<string, string>;
}

async function resolveVersion(sc: StepContext, s: ExtractStrategy, o: ResolveOptions): Promise<Located> {
  const env = sc.env;
  const loc = locate(s, o);
  const done = (version: string, releaseUrl = loc.releaseUrl): Located => {
    if (!VERSION_RE.test(version))
      throw new StepFailure(`--extract=${s.arg}: ${JSON.stringify(version)} is not a Kubernetes version`);
    return { strategy: s, releaseUrl, version, versionUrl: joinUrl(releaseUrl, version) };
  };
  switch (s.kind) {
    case 'version':
    case 'bucket-version':
      return done(loc.version!);
    case 'release-marker':
    case 'ci-marker':
    case 'gke-ci-marker':
    case 'bucket-marker':
      return done(await readMarker(loc.markerUrl!, smallReads(sc)));
    case 'local': {
      const version = sc.run.builtRelease?.version ?? newestVersionDir(o.localStageDir);
      if (!version)
        throw new StepFailure(
          `--extract=local: no release in ${o.localStageDir} (run with --build=module or --build first)`,
        );
      return done(version);
    }
    case 'bazel': {
      const vf = join(o.kubeRoot, 'bazel-bin', 'version');
      if (!existsSync(vf)) throw new StepFailure(`--extract=bazel: ${vf} not found (build with --build=bazel first)`);
      const version = readFileSync(vf, 'utf8').trim();
      const r = done(version);
      return { ...r, versionUrl: `file://${join(o.kubeRoot, 'bazel-bin', 'build', 'release-tars')}` };
    }
    case 'gci': {
      const [describe] = loc.commands;
      const image = (await sc.exec(describe!, { captureStdout: true })).stdout.trim();
      if (s.marker) return done(await readMarker(loc.markerUrl!, smallReads(sc)));
      const mapped = (
        await (await storeFor(`gs://${s.mapBucket}`, env)).read(`gs://${s.mapBucket}/k8s-version-map/${image}`)
      )
        .toString('utf8')
        .trim();
      const exported = {
        KUBE_GCE_MASTER_PROJECT: s.project,
        KUBE_GCE_MASTER_IMAGE: image,
        KUBE_MASTER_OS_DISTRIBUTION: 'gci',
        KUBE_GCE_NODE_PROJECT: s.project,
        KUBE_GCE_NODE_IMAGE: image,
        KUBE_NODE_OS_DISTRIBUTION: 'gci',
        BUILD_METADATA_GCE_MASTER_IMAGE: image,
        BUILD_METADATA_GCE_NODE_IMAGE: image,
      };
      return { ...done(`v${mapped.replace(/^v/, '')}`), env: exported };
    }
    case 'gke': {
      // kubetest's three ways (extract_k8s.go, util.go): gcloud's answer picks the version, or (gke-default)
      // the minor of GKE's default version picks the ci marker latest-X.Y.
      if (!o.project) throw new StepFailure(`--extract=${s.arg} needs --gcp-project`);
      const isDefault = s.variant === 'gke' || s.variant === 'gke-default';
      if (isDefault && !o.zone) throw new StepFailure(`--extract=${s.arg} needs --gcp-zone`);
      const out = (await sc.exec(loc.commands[0]!, { captureStdout: true })).stdout.trim();
      if (isDefault) {
        const mm = /(\d+\.\d+)(\..+)?$/.exec(out)?.[1];
        if (!mm) throw new StepFailure(`--extract=${s.arg}: cannot parse a version from ${JSON.stringify(out)}`);
        return done(await readMarker(`gs://${o.ciBucket}/ci/latest-${mm}.txt`, smallReads(sc)));
      }
      return done(gkeVersion(s.variant, out));
    }
  }
}

/** The version gcloud's get-server-config output selects for gke-latest[-PREFIX] and gke-channel-C[-[N-]latest]. */
export function gkeVersion(variant: string, out: string): string {
  const v = (x: string) => (x.startsWith('v') ? x : `v${x}`);
  const latest = /^gke-latest(?:-(.+))?$/.exec(variant);
  if (latest) {
    const prefix = latest[1] ?? '';
    const found = out.split(';').find((x) => x.startsWith(prefix));
    if (!found) throw new StepFailure(`--extract=${variant}: no valid GKE master version starts with ${prefix}`);
    return v(found);
  }
  const ch = /^gke-channel-(rapid|regular|stable)(?:-((?:[0-9]-)?latest))?$/.exec(variant)!;
  const cfg = JSON.parse(out) as {
    channels?: Array<{ channel: string; defaultVersion: string; validVersions?: string[] }>;
  };
  const channel = (cfg.channels ?? []).find((c) => c.channel.toLowerCase() === ch[1]);
  if (!channel) throw new StepFailure(`--extract=${variant}: GKE reports no ${ch[1]} channel`);
  if (!ch[2]) return v(channel.defaultVersion);
  const back = /^\d/.test(ch[2]) ? Number(ch[2][0]) : 0;
  const parsed = (channel.validVersions ?? [])
    .map((x) => ({ x, n: /(\d+).(\d+).(\d+)-gke.(\d+)/.exec(x)?.slice(1).map(Number) }))
    .filter((p): p is { x: string; n: number[] } => p.n !== undefined)
    .sort((a, b) => b.n.reduce((acc, _, i) => acc || b.n[i]! - a.n[i]!, 0) || 0);
  const found = parsed.find((p) => p.n[1] === parsed[0]!.n[1]! - back);
  if (!found) throw new StepFailure(`--extract=${variant}: not enough versions in the ${ch[1]} channel`);
  return v(found.x);
}

function newestVersionDir(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  return readdirSync(dir)
    .filter((d) => d.startsWith('v') && !d.includes('.tmp-') && statSync(join(dir, d)).isDirectory())
    .sort((a, b) => statSync(join(dir, b)).mtimeMs - statSync(join(dir, a)).mtimeMs)[0];
}

interface TreeManifest {
  files: number;
  bytes: number;
  newestMtimeMs: number;
}

function treeStats(root: string): TreeManifest {
  const m: TreeManifest = { files: 0, bytes: 0, newestMtimeMs: 0 };
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const st = lstatSync(p);
        m.files++;
        m.bytes += st.size;
        m.newestMtimeMs = Math.max(m.newestMtimeMs, Math.floor(st.mtimeMs));
      }
    }
  };
  walk(root);
  return m;
}

/** The cached tree `key`, when it is there and unmodified since it was cached (hard links share inodes). */
function intactCachedTree(cacheDir: string, key: string): string | undefined {
  const treeDir = join(cacheDir, 'trees', key);
  const manifestFile = `${treeDir}.json`;
  if (!existsSync(manifestFile) || !existsSync(join(treeDir, 'kubernetes'))) return undefined;
  const want = JSON.parse(readFileSync(manifestFile, 'utf8')) as TreeManifest;
  const have = treeStats(join(treeDir, 'kubernetes'));
  if (have.files !== want.files || have.bytes !== want.bytes || have.newestMtimeMs !== want.newestMtimeMs)
    return undefined;
  touch(manifestFile);
  return join(treeDir, 'kubernetes');
}

/** What identifies an extracted tree: the files' published digests, or their URLs where none is published. */
function treeKey(specs: FetchSpec[]): string {
  const h = createHash('sha256');
  for (const s of specs) {
    const expected = s.expected
      ? `${s.expected.algo}:${s.expected.hex}`
      : s.exists === false
        ? 'absent'
        : `unverified:${s.url}`;
    h.update(`${s.name}\0${expected}\0${s.unpack.map((u) => `${u.strip}`).join(',')}\n`);
  }
  return h.digest('hex').slice(0, 32);
}

/** Fills `stage` with kubernetes/ for one release: from the tree cache, or by download + unpack. */
async function materialize(
  sc: StepContext,
  loc: Located,
  stage: string,
  root: ExtractRoot,
  progress: DownloadProgress,
): Promise<{ results: FetchResult[]; cached: boolean }> {
  const { cfg } = sc.run;
  const { knobs } = cfg;
  const env = sc.env;
  const os = process.platform === 'darwin' ? 'darwin' : 'linux';
  const specs = releaseFiles(loc.versionUrl, stage, {
    os,
    serverArch: env['KUBERNETES_SERVER_ARCH'] || goArch(),
    clientArch: env['KUBERNETES_CLIENT_ARCH'] || goArch(),
    source: cfg.extractSource,
  });
  // The tree key depends on the published checksums. While they are fetched, the tree cached for the same
  // URLs last time is hard-linked by `cp -al` in a child (another core); it is kept if the checksums still match.
  const guessFile = join(cfg.cacheDir, 'trees', `${treeKey(specs)}.last`);
  const guess = existsSync(guessFile) ? readFileSync(guessFile, 'utf8').trim() : undefined;
  const target = join(stage, 'kubernetes');
  const linkGuess = async (): Promise<boolean> => {
    const tree = guess ? join(cfg.cacheDir, 'trees', guess, 'kubernetes') : undefined;
    if (!tree || !existsSync(tree)) return false;
    return sc.exec(['cp', '-al', tree, target], { verbose: false }).then(
      () => true,
      () => false,
    );
  };
  const [lookups, copied] = await Promise.allSettled([
    Promise.all(
      specs.map(async (s) => {
        s.expected = (await publishedChecksum(s.url, smallReads(sc))) ?? null;
        // An optional file without a checksum (our etcd tarball, absent upstream): absent or unverified.
        if (!s.expected && !s.required)
          s.exists = await (await storeFor(s.url, env, { stallMs: knobs.stallTimeoutMs })).exists(s.url, sc.signal);
      }),
    ),
    linkGuess(),
  ]);
  if (lookups.status === 'rejected') throw lookups.reason;
  const key = treeKey(specs);
  const intact = intactCachedTree(cfg.cacheDir, key);
  if (copied.status === 'fulfilled' && copied.value && guess === key && intact) return { results: [], cached: true };
  rmSync(target, { recursive: true, force: true });
  if (intact) {
    linkTree(intact, target);
    writeFileSync(guessFile, key);
    return { results: [], cached: true };
  }
  const treeDir = join(cfg.cacheDir, 'trees', key);
  const manifestFile = `${treeDir}.json`;
  if (existsSync(treeDir)) {
    sc.log(`cached tree ${treeDir} was modified; unpacking it again`);
    rmSync(treeDir, { recursive: true, force: true });
  }
  for (const s of specs) for (const u of s.unpack) mkdirSync(u.dir, { recursive: true });
  const { fetchAll } = await import('./download.js');
  const backoffMs = knobs.retryBackoffMs;
  const results = await fetchAll(specs, {
    cacheDir: cfg.cacheDir,
    root,
    env,
    signal: sc.signal,
    stallMs: knobs.stallTimeoutMs,
    retries: knobs.downloadRetries,
    backoffMs: backoffMs !== undefined ? () => backoffMs : undefined,
    onProgress: (name, bytes, total) => progress.update(name, bytes, total),
    log: sc.log,
  });
  const k = join(stage, 'kubernetes');
  // Links planted in one order can redirect links checked earlier: the finished tree is checked before we
  // add to it (and again before it leaves the root).
  root.verify(k, loc.strategy.arg);
  // get-kube-binaries.sh leaves the server tarball in server/ (kube-up uploads it) and links client/bin.
  const server = results.find((r) => r.name.startsWith('kubernetes-server-'));
  if (server?.blob) linkOrCopy(server.blob, join(k, 'server', server.name));
  const clientBin = join(k, 'client', 'bin');
  if (!existsSync(clientBin)) {
    mkdirSync(join(k, 'client'), { recursive: true });
    symlinkSync(join('..', 'platforms', os, env['KUBERNETES_CLIENT_ARCH'] || goArch()), clientBin);
  }
  // Keep a hard-linked copy for the next extract of the same files.
  const tmpTree = `${treeDir}.tmp-${process.pid}`;
  try {
    rmSync(tmpTree, { recursive: true, force: true });
    linkTree(k, join(tmpTree, 'kubernetes'));
    rmSync(treeDir, { recursive: true, force: true });
    renameSync(tmpTree, treeDir);
    writeFileSync(manifestFile, JSON.stringify(treeStats(join(treeDir, 'kubernetes'))));
    writeFileSync(guessFile, key);
  } catch (e) {
    rmSync(tmpTree, { recursive: true, force: true });
    sc.log(`could not cache the extracted tree: ${(e as Error).message}`);
  }
  try {
    const removed = pruneCache(cfg.cacheDir, cacheLimits(knobs));
    if (removed.length)
      sc.log(`extract cache: removed ${removed.length} least recently used entries (${removed.join(', ')})`);
  } catch (e) {
    sc.log(`could not prune the extract cache: ${(e as Error).message}`);
  }
  return { results, cached: false };
}

export async function runExtract(sc: StepContext): Promise<RunStepOutput> {
  const { cfg } = sc.run;
  const o = resolveOptions(cfg, sc);
  const workDir = sc.workDir;
  const dirs = extractDirs(cfg.extract.length);
  // kubetest deletes old trees first, so a failed extract never leaves a stale one to be tested.
  for (const d of ['kubernetes', 'kubernetes_skew']) rmSync(join(workDir, d), { recursive: true, force: true });

  let located: Located[];
  const saved = cfg.save && !cfg.up ? await loadSavedRelease(sc, cfg.save) : undefined;
  if (saved) {
    sc.log(`--save without --up: using the release saved in ${cfg.save}: ${saved.version}`);
    located = [
      {
        strategy: cfg.extract[0]!,
        releaseUrl: saved.releaseUrl,
        version: saved.version,
        versionUrl: joinUrl(saved.releaseUrl, saved.version),
      },
    ];
  } else {
    located = [];
    for (const s of cfg.extract) located.push(await resolveVersion(sc, s, o));
  }

  // What a kubetest killed mid-extract left behind (its pid is dead): removed, never a live run's.
  for (const p of removeDeadLeftovers(workDir, cfg.cacheDir)) sc.log(`removed ${p} (left by a killed kubetest)`);
  const tmpRoot = join(workDir, `.kubetest-extract-${process.pid}`);
  rmSync(tmpRoot, { recursive: true, force: true });
  const progress = new DownloadProgress(sc.logger, sc.stepName);
  try {
    const t0 = Date.now();
    // One root for every tarball of this extract: nothing is written outside it, the caps are shared.
    const root = new ExtractRoot(tmpRoot, {
      maxBytes: cfg.knobs.extractMaxBytes,
      maxRatio: DEFAULT_LIMITS.maxRatio,
      maxEntries: DEFAULT_LIMITS.maxEntries,
    });
    for (const [i, loc] of located.entries()) {
      const stage = join(tmpRoot, String(i));
      mkdirSync(stage, { recursive: true });
      sc.log(`${loc.strategy.arg} → ${loc.versionUrl} (${dirs[i] ?? 'kubernetes'})`);
      const { results, cached } = await materialize(sc, loc, stage, root, progress);
      if (cached) sc.log(`${loc.version}: from the extract cache`);
      for (const r of results) {
        if (!r.present) continue;
        sc.log(
          `${r.name}: ${(r.bytes / 1e6).toFixed(1)} MB${r.fromCache ? ' (download cache)' : ''}, ` +
            `${r.verified === 'none' ? 'no checksum published' : `${r.verified} verified`}`,
        );
      }
    }
    progress.done();
    const targets = saved ? ['kubernetes'] : dirs;
    for (const [i, loc] of located.entries()) root.verify(join(tmpRoot, String(i), 'kubernetes'), loc.strategy.arg);
    for (const [i] of located.entries()) renameSync(join(tmpRoot, String(i), 'kubernetes'), join(workDir, targets[i]!));
    sc.log(`extracted in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  } catch (e) {
    progress.done();
    throw e;
  } finally {
    rmSync(tmpRoot, { recursive: true, force: true });
  }

  const last = located[located.length - 1]!;
  const extracted = located.map((l, i) => ({
    arg: l.strategy.arg,
    dir: join(workDir, (saved ? ['kubernetes'] : dirs)[i]!),
    version: l.version,
    releaseUrl: l.releaseUrl,
  }));
  // What get-kube.sh was given, for child scripts that look at it.
  const env: Record<string, string> = {
    ...Object.assign({}, ...located.map((l) => l.env ?? {})),
    KUBERNETES_RELEASE_URL: last.releaseUrl,
    KUBERNETES_RELEASE: last.version,
    KUBERNETES_SKIP_CONFIRM: 'y',
    KUBERNETES_SKIP_CREATE_CLUSTER: 'y',
    KUBERNETES_DOWNLOAD_TESTS: 'y',
    CLUSTER_API_VERSION: last.version.replace(/^v/, ''),
  };
  if (cfg.extractSource) env['KUBE_GIT_VERSION'] = last.version;
  return {
    kubeRoot: join(workDir, 'kubernetes'),
    extracted,
    env,
    ...(saved ? { kubeconfig: saved.kubeconfig } : {}),
  };
}
