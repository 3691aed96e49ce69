// --extract forms (../shared/reference/kubetest.md §5): what each means, and where its release and marker live.
// Every form kubetest's strategy table accepts (kubetest/extract_k8s.go) is accepted here and resolves to the
// same marker and release URL (test/differential/extract.test.ts runs both side by side); kubetest matched
// its table in Go map order, so its patterns are disjoint — and so are ours. Ours adds s3://, file://,
// https:// sources; it refuses kubetest's broken `bazel/...` form (an empty release URL).

export type ExtractStrategy =
  | { kind: 'version'; arg: string; version: string }
  | { kind: 'release-marker'; arg: string; marker: string } // release/stable, release/latest-1.36
  | { kind: 'ci-marker'; arg: string; marker: string; fast: boolean } // ci/latest, ci/latest-1.36-fast
  | { kind: 'gke-ci-marker'; arg: string; marker: string } // ci/gke-...
  | { kind: 'bucket-version'; arg: string; url: string } // gs://B/p/VER, s3://, file://, https://
  | { kind: 'bucket-marker'; arg: string; url: string } // gs://B/p/marker.txt
  | { kind: 'gci'; arg: string; family: string; project: string; mapBucket: string; marker?: string }
  | { kind: 'gke'; arg: string; variant: string } // gke-default, gke-latest[-X.Y], gke-channel-C[-[N-]latest]
  | { kind: 'local'; arg: string }
  | { kind: 'bazel'; arg: string };

/** kubetest's gci option: FAMILY[?key=value[:key=value...]] (unknown keys are ignored, as kubetest did). */
function gciStrategy(arg: string, option: string, marker: string | undefined): ExtractStrategy {
  const [family, query] = option.split('?') as [string, string | undefined];
  const params: Record<string, string> = {};
  for (const kv of (query ?? '').split(':').filter(Boolean)) {
    const [k, v] = kv.split('=') as [string, string];
    params[k] = v;
  }
  return {
    kind: 'gci',
    arg,
    family,
    project: params['project'] ?? 'container-vm-image-staging',
    mapBucket: params['k8s-map-bucket'] ?? 'container-vm-image-staging',
    ...(marker !== undefined ? { marker } : {}),
  };
}

const GCI_OPTION = String.raw`([\w-]+(?:\?(?::?[\w-]+=[\w-]+)+)?)`;

const PATTERNS: Array<[RegExp, (m: RegExpExecArray, arg: string) => ExtractStrategy]> = [
  [/^bazel$/, (_m, arg) => ({ kind: 'bazel', arg })],
  // kubetest's `^(local)`: a prefix match, so `local-anything` is local too.
  [/^local/, (_m, arg) => ({ kind: 'local', arg })],
  [
    /^gke-?(default|channel-(rapid|regular|stable)(?:-((?:[0-9]-)?latest))?|latest(-\d+.\d+(.\d+(-gke)?)?)?)?$/,
    (m, arg) => ({ kind: 'gke', arg, variant: m[1] ? `gke-${m[1]}` : 'gke' }),
  ],
  [new RegExp(`^gci/${GCI_OPTION}$`), (m, arg) => gciStrategy(arg, m[1]!, undefined)],
  [new RegExp(`^gci/${GCI_OPTION}/(.+)$`), (m, arg) => gciStrategy(arg, m[1]!, m[2]!)],
  [/^ci\/(.+)-fast$/, (m, arg) => ({ kind: 'ci-marker', arg, marker: `${m[1]!}-fast`, fast: true })],
  [/^ci\/(gke-.+)$/, (m, arg) => ({ kind: 'gke-ci-marker', arg, marker: m[1]! })],
  [/^ci\/(.+)$/, (m, arg) => ({ kind: 'ci-marker', arg, marker: m[1]!, fast: false })],
  [/^release\/((?:latest|stable).*)$/, (m, arg) => ({ kind: 'release-marker', arg, marker: m[1]! })],
  [/^(v\d+\.\d+\.\d+[\w.+-]*)$/, (m, arg) => ({ kind: 'version', arg, version: m[1]! })],
  [/^(gs:\/\/.*\.txt)$/, (m, arg) => ({ kind: 'bucket-marker', arg, url: m[1]! })],
  [/^(gs:\/\/.*)$/, (m, arg) => ({ kind: 'bucket-version', arg, url: m[1]! })],
  [/^((?:s3|file|https?):\/\/.+\.txt)$/, (m, arg) => ({ kind: 'bucket-marker', arg, url: m[1]! })],
  [/^((?:s3|file|https?):\/\/.+\/[^/]+)(?<!\.txt)$/, (m, arg) => ({ kind: 'bucket-version', arg, url: m[1]! })],
];

export class ExtractParseError extends Error {}

export function parseExtract(arg: string): ExtractStrategy {
  for (const [re, make] of PATTERNS) {
    const m = re.exec(arg);
    if (m) {
      return make(m, arg);
    }
  }
  if (arg.startsWith('bazel/')) {
    throw new ExtractParseError(
      `--extract=${arg}: the bazel/ form was removed from kubetest long ago; use --extract=bazel or a version`,
    );
  }
  throw new ExtractParseError(
    `unknown extraction strategy: ${JSON.stringify(arg)} (want vX.Y.Z, ci/latest, release/stable, gs://..., local, ` +
      `...)`,
  );
}

export interface ResolveOptions {
  /** Replaces https://storage.googleapis.com (kubetest hard-codes it). */
  baseUrl: string;
  ciBucket: string;
  releaseBucket: string;
  /** kubetest's `local`: where `_output/gcs-stage` lives. */
  localStageDir: string;
  kubeRoot: string;
  /** --gcp-project, --gcp-zone, --gcp-region, --gke-command-group: the gke forms ask gcloud. */
  project: string;
  zone: string;
  region: string;
  gkeCommandGroup: string;
}

export interface ResolvedExtract {
  arg: string;
  /** Where the version marker is read from (null when the version is given). */
  markerUrl: string | null;
  /** Release root: the version's files are at `${releaseUrl}/${version}/`. */
  releaseUrl: string;
  version: string | null;
  /** Commands that must run to learn the version (gcloud); for the plan. */
  commands: string[][];
}

export const GOOGLE_STORAGE = 'https://storage.googleapis.com';
const GKE_BUCKET_PATH = 'gke-release-staging/kubernetes/release';

export function defaultResolveOptions(partial: Partial<ResolveOptions> = {}): ResolveOptions {
  return {
    baseUrl: GOOGLE_STORAGE,
    ciBucket: 'k8s-release-dev',
    releaseBucket: 'kubernetes-release',
    localStageDir: '_output/gcs-stage',
    kubeRoot: '.',
    project: '',
    zone: '',
    region: '',
    gkeCommandGroup: '',
    ...partial,
  };
}

/** Where a strategy's files live, without fetching anything. */
export function locate(s: ExtractStrategy, o: ResolveOptions): ResolvedExtract {
  const base = o.baseUrl.replace(/\/+$/, '');
  const rel = `${base}/${o.releaseBucket}/release`;
  const ci = `${base}/${o.ciBucket}/ci`;
  const gke = `${base}/${GKE_BUCKET_PATH}`;
  const r = (
    markerUrl: string | null,
    releaseUrl: string,
    version: string | null,
    commands: string[][] = [],
  ): ResolvedExtract => ({ arg: s.arg, markerUrl, releaseUrl, version, commands });
  switch (s.kind) {
    case 'version':
      if (/v\d+\.\d+\.\d+-gke.\d+$/.test(s.version)) return r(null, gke, s.version);
      if (s.version.includes('+')) return r(null, ci, s.version);
      return r(null, rel, s.version);
    case 'release-marker':
      return r(`${rel}/${s.marker}.txt`, rel, null);
    case 'ci-marker':
      return r(`${ci}/${s.marker}.txt`, s.fast ? `${ci}/fast` : ci, null);
    case 'gke-ci-marker':
      return r(`gs://${GKE_BUCKET_PATH}/${s.marker}.txt`, gke, null);
    case 'bucket-version': {
      if (s.url.startsWith('gs://')) {
        const w = s.url.slice('gs://'.length);
        return r(null, `${base}/${goPathDir(w)}`, goPathBase(w));
      }
      const i = s.url.lastIndexOf('/');
      return r(null, s.url.slice(0, i), s.url.slice(i + 1));
    }
    case 'bucket-marker': {
      if (s.url.startsWith('gs://')) {
        // kubetest: gsutil cat gs://DIR/NAME.txt, the release at <storage>/DIR
        const w = s.url.slice('gs://'.length);
        const name = goPathBase(w).slice(0, -'.txt'.length);
        return r(`gs://${goPathDir(w)}/${name}.txt`, `${base}/${goPathDir(w)}`, null);
      }
      const i = s.url.lastIndexOf('/');
      return r(s.url, s.url.slice(0, i), null);
    }
    case 'gci': {
      const describe = [
        'gcloud',
        'compute',
        'images',
        'describe-from-family',
        s.family,
        `--project=${s.project}`,
        '--format=value(name)',
      ];
      if (s.marker) return r(`gs://${o.ciBucket}/ci/${s.marker}.txt`, ci, null, [describe]);
      return r(`gs://${s.mapBucket}/k8s-version-map/<image>`, rel, null, [describe]);
    }
    case 'gke': {
      if (s.variant === 'gke' || s.variant === 'gke-default') {
        // The default cluster version's minor picks the ci marker (latest-X.Y), read with gsutil.
        const cmd = [
          'gcloud',
          'container',
          'get-server-config',
          `--project=${o.project}`,
          `--zone=${o.zone}`,
          '--format=value(defaultClusterVersion)',
        ];
        return r(`gs://${o.ciBucket}/ci/latest-<X.Y of defaultClusterVersion>.txt`, ci, null, [cmd]);
      }
      const where = o.zone ? [`--zone=${o.zone}`] : o.region ? [`--region=${o.region}`] : [];
      const format = s.variant.startsWith('gke-latest') ? 'value(validMasterVersions)' : 'json(channels)';
      const group = o.gkeCommandGroup ? [o.gkeCommandGroup] : [];
      const cmd = [
        'gcloud',
        ...group,
        'container',
        'get-server-config',
        `--project=${o.project}`,
        `--format=${format}`,
      ];
      return r(null, gke, null, [[...cmd, ...where]]);
    }
    case 'local':
      return r(null, `file://${absolute(o.localStageDir, o.kubeRoot)}`, null);
    case 'bazel':
      return r(
        `file://${absolute('bazel-bin/version', o.kubeRoot)}`,
        `file://${absolute('bazel-bin/build', o.kubeRoot)}`,
        null,
      );
  }
}

/** Go's path.Dir: the cleaned directory, "." when there is none. */
function goPathDir(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '.' : goPathClean(p.slice(0, i));
}

/** Go's path.Base. */
function goPathBase(p: string): string {
  const t = p.replace(/\/+$/, '');
  if (t === '') return p === '' ? '.' : '/';
  return t.slice(t.lastIndexOf('/') + 1);
}

/** Go's path.Clean (enough of it for bucket paths: duplicate and trailing slashes, "." and ".."). */
function goPathClean(p: string): string {
  if (p === '') return '.';
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (seg !== '..' || !abs) out.push(seg);
  }
  const joined = out.join('/');
  return abs ? `/${joined}` : joined || '.';
}

function absolute(p: string, root: string): string {
  if (p.startsWith('/')) return p;
  const r = root.replace(/\/+$/, '');
  return r === '.' || r === '' ? p : `${r}/${p}`;
}

/** Target directories: one extract → kubernetes; two → kubernetes_skew (first), kubernetes (second). */
export function extractDirs(count: number): string[] {
  return count === 2 ? ['kubernetes_skew', 'kubernetes'] : count === 1 ? ['kubernetes'] : [];
}
