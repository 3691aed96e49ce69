// --extract forms (../shared/reference/kubetest.md §5): what each means, and where its release and marker live.
// The forms are matched by disjoint patterns (kubetest tried them in Go map order, i.e. randomly).

export type ExtractStrategy =
  | { kind: 'version'; arg: string; version: string }
  | { kind: 'release-marker'; arg: string; marker: string } // release/stable, release/latest-1.36
  | { kind: 'ci-marker'; arg: string; marker: string; fast: boolean } // ci/latest, ci/latest-1.36-fast
  | { kind: 'gke-ci-marker'; arg: string; marker: string } // ci/gke-...
  | { kind: 'bucket-version'; arg: string; url: string } // gs://B/p/VER, s3://, file://, https://
  | { kind: 'bucket-marker'; arg: string; url: string } // gs://B/p/marker.txt
  | { kind: 'gci'; arg: string; family: string; project: string; mapBucket: string; marker?: string }
  | { kind: 'gke'; arg: string; variant: string } // gke, gke-default, gke-latest[-X.Y], gke-channel-...
  | { kind: 'local'; arg: string }
  | { kind: 'bazel'; arg: string };

const PATTERNS: Array<[RegExp, (m: RegExpExecArray, arg: string) => ExtractStrategy]> = [
  [/^(v\d+\.\d+\.\d+[\w.+-]*)$/, (m, arg) => ({ kind: 'version', arg, version: m[1]! })],
  [/^release\/((?:latest|stable)[\w.-]*)$/, (m, arg) => ({ kind: 'release-marker', arg, marker: m[1]! })],
  [/^ci\/(gke-[\w.-]+)$/, (m, arg) => ({ kind: 'gke-ci-marker', arg, marker: m[1]! })],
  [/^ci\/([\w.-]+)-fast$/, (m, arg) => ({ kind: 'ci-marker', arg, marker: `${m[1]!}-fast`, fast: true })],
  [/^ci\/((?!gke-)[\w.-]+(?<!-fast))$/, (m, arg) => ({ kind: 'ci-marker', arg, marker: m[1]!, fast: false })],
  [/^((?:gs|s3|file|https?):\/\/.+\.txt)$/, (m, arg) => ({ kind: 'bucket-marker', arg, url: m[1]! })],
  [/^((?:gs|s3|file|https?):\/\/.+\/[^/]+)(?<!\.txt)$/, (m, arg) => ({ kind: 'bucket-version', arg, url: m[1]! })],
  [
    /^gci\/([\w-]+)(?:\?(?:project=([\w-]+))?(?::?k8s-map-bucket=([\w-]+))?)?(?:\/([\w.-]+))?$/,
    (m, arg) => ({
      kind: 'gci',
      arg,
      family: m[1]!,
      project: m[2] ?? 'container-vm-image-staging',
      mapBucket: m[3] ?? 'container-vm-image-staging',
      ...(m[4] ? { marker: m[4] } : {}),
    }),
  ],
  [
    /^(gke|gke-default|gke-latest(?:-\d+\.\d+[\w.-]*)?|gke-channel-(?:rapid|regular|stable)(?:-(?:\d+-)?latest)?)$/,
    (m, arg) => ({ kind: 'gke', arg, variant: m[1]! }),
  ],
  [/^local$/, (_m, arg) => ({ kind: 'local', arg })],
  [/^(bazel)$/, (_m, arg) => ({ kind: 'bazel', arg })],
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
      if (/-gke\.\d+$/.test(s.version)) return r(null, gke, s.version);
      if (s.version.includes('+')) return r(null, ci, s.version);
      return r(null, rel, s.version);
    case 'release-marker':
      return r(`${rel}/${s.marker}.txt`, rel, null);
    case 'ci-marker':
      return r(`${ci}/${s.marker}.txt`, s.fast ? `${ci}/fast` : ci, null);
    case 'gke-ci-marker':
      return r(`gs://${GKE_BUCKET_PATH}/${s.marker}.txt`, gke, null);
    case 'bucket-version': {
      const i = s.url.lastIndexOf('/');
      return r(null, publicUrl(s.url.slice(0, i), base), s.url.slice(i + 1));
    }
    case 'bucket-marker': {
      const i = s.url.lastIndexOf('/');
      return r(s.url, publicUrl(s.url.slice(0, i), base), null);
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
      if (s.marker) return r(`${ci}/${s.marker}.txt`, ci, null, [describe]);
      return r(`gs://${s.mapBucket}/k8s-version-map/<image>`, rel, null, [describe]);
    }
    case 'gke': {
      const cmd = ['gcloud', 'container', 'get-server-config', '--format=json'];
      if (s.variant === 'gke' || s.variant === 'gke-default')
        return r(`${ci}/latest-<defaultClusterVersion>.txt`, ci, null, [cmd]);
      return r(null, gke, null, [cmd]);
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

/** gs://B/p is read over HTTPS at <base>/B/p, like kubetest did; other schemes are used as they are. */
function publicUrl(url: string, base: string): string {
  if (url.startsWith('gs://')) return `${base}/${url.slice('gs://'.length)}`;
  return url;
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
