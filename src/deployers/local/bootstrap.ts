// The objects kube-apiserver's own post-start hooks create (the bootstrap RBAC policy, the system priority
// classes), captured once per release at its first start and created by kubetest as soon as a later apiserver
// of that release serves. Both hooks wait a fixed second before their first try (wait.Poll), so /readyz lags
// serving by a second or more; with the objects in place the apiserver is ready but for those two checks, and
// the hooks find everything there when they run. Cached beside the binaries: the file is trusted as they are,
// and still checked for shape, since its objects are created with the admin's rights.
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { Agent } from 'node:https';
import { join } from 'node:path';
import { writeFileAtomic } from '../../util/atomic.js';
import { apiMessage, request, type TlsFiles } from './health.js';

/** The readyz checks of the hooks whose objects a seed holds. */
export const SEEDED_HOOK_CHECKS = [
  'poststarthook/rbac/bootstrap-roles',
  'poststarthook/scheduling/bootstrap-system-priority-classes',
] as const;

const BOOTSTRAP_LABEL = 'kubernetes.io/bootstrapping=rbac-defaults';
const MAX_SEED_BYTES = 8 << 20;
const MAX_SEED_OBJECTS = 5000;

interface Kind {
  apiVersion: string;
  plural: string;
  namespaced: boolean;
  /** List query that selects what the hook made. */
  select: string;
}

const KINDS: Record<string, Kind> = {
  ClusterRole: rbac('clusterroles', false),
  ClusterRoleBinding: rbac('clusterrolebindings', false),
  Role: rbac('roles', true),
  RoleBinding: rbac('rolebindings', true),
  PriorityClass: { apiVersion: 'scheduling.k8s.io/v1', plural: 'priorityclasses', namespaced: false, select: '' },
};

function rbac(plural: string, namespaced: boolean): Kind {
  const select = `?labelSelector=${encodeURIComponent(BOOTSTRAP_LABEL)}`;
  return { apiVersion: 'rbac.authorization.k8s.io/v1', plural, namespaced, select };
}

export interface SeedObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export interface BootstrapSeed {
  kubeVersion: string;
  objects: SeedObject[];
}

/** Where the seed of this apiserver binary and API configuration lives. */
export function seedFile(
  cacheDir: string,
  kubeVersion: string,
  apiserverBinary: string,
  runtimeConfig: string,
): string {
  const key = createHash('sha256')
    .update(JSON.stringify([kubeVersion, statSync(apiserverBinary).size, runtimeConfig]))
    .digest('hex')
    .slice(0, 16);
  const safeVersion = kubeVersion.replace(/[^A-Za-z0-9.+_-]/g, '_').slice(0, 80);
  return join(cacheDir, 'apiserver-bootstrap', `${safeVersion}-${key}.json`);
}

/**
 * The seed in `path`, or undefined when there is none; anything else than a regular file of a seed's shape for
 * this release is an error (a link, a FIFO or a device is not opened for reading: O_NOFOLLOW, O_NONBLOCK).
 */
export function readSeed(path: string, kubeVersion: string): BootstrapSeed | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new Error(code === 'ELOOP' ? 'a symbolic link, not a seed kubetest wrote' : `cannot open: ${code}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error('not a regular file');
    if (st.size > MAX_SEED_BYTES) throw new Error(`${st.size} bytes, more than a bootstrap seed can be`);
    const buf = Buffer.alloc(st.size);
    const n = readSync(fd, buf, 0, st.size, 0);
    return parseSeed(buf.subarray(0, n).toString('utf8'), kubeVersion);
  } finally {
    closeSync(fd);
  }
}

const NAME = /^[A-Za-z0-9:._-]{1,253}$/;
/** What the hooks name outside the system: prefixes. */
const UNPREFIXED = new Set(['admin', 'edit', 'view', 'cluster-admin', 'extension-apiserver-authentication-reader']);
const NAMESPACES = new Set(['kube-system', 'kube-public']);
const PRIORITY_CLASSES = new Set(['system-node-critical', 'system-cluster-critical']);

export function parseSeed(text: string, kubeVersion: string): BootstrapSeed {
  let doc: { kubeVersion?: unknown; objects?: unknown } | null;
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch {
    throw new Error('not JSON');
  }
  if (typeof doc !== 'object' || doc === null || typeof doc.kubeVersion !== 'string' || !Array.isArray(doc.objects)) {
    throw new Error('not a bootstrap seed');
  }
  if (doc.kubeVersion !== kubeVersion) {
    throw new Error(`captured from ${JSON.stringify(doc.kubeVersion.slice(0, 80))}, not ${kubeVersion}`);
  }
  if (doc.objects.length > MAX_SEED_OBJECTS) throw new Error(`${doc.objects.length} objects: too many`);
  const objects = doc.objects.map((o: unknown, i) => {
    const problem = seedObjectProblem(o);
    if (problem) throw new Error(`object ${i}: ${problem}`);
    return o as SeedObject;
  });
  return { kubeVersion: doc.kubeVersion, objects };
}

// Only what the two hooks make fits: their names, their namespaces, the RBAC policy's label and auto-update
// annotation. The hooks never remove a rule or a subject, so a seed holding more would stay in the cluster.
function seedObjectProblem(o: unknown): string | undefined {
  if (typeof o !== 'object' || o === null) return 'not an object';
  const { apiVersion, kind, metadata } = o as Partial<SeedObject>;
  const k = typeof kind === 'string' && Object.hasOwn(KINDS, kind) ? KINDS[kind] : undefined;
  if (!k) return `kind ${JSON.stringify(kind)} is not one the hooks create`;
  if (apiVersion !== k.apiVersion) return `apiVersion ${JSON.stringify(apiVersion)} for ${kind}`;
  if (typeof metadata !== 'object' || metadata === null) return 'no metadata';
  const { name, namespace, labels, annotations } = metadata;
  if (typeof name !== 'string' || !NAME.test(name)) return 'bad name';
  if (kind === 'PriorityClass')
    return PRIORITY_CLASSES.has(name) ? undefined : `PriorityClass ${name} is not a system one`;
  if (!name.startsWith('system:') && !UNPREFIXED.has(name)) return `${kind} ${name} is not one the RBAC hook makes`;
  if (k.namespaced ? !NAMESPACES.has(namespace as string) : namespace !== undefined) {
    return `${kind} ${name}: namespace ${JSON.stringify(namespace)} is not where the RBAC hook puts it`;
  }
  if (labels?.['kubernetes.io/bootstrapping'] !== 'rbac-defaults') return `${kind} ${name}: no bootstrapping label`;
  if (annotations?.['rbac.authorization.kubernetes.io/autoupdate'] !== 'true') {
    return `${kind} ${name}: not auto-updated`;
  }
  return undefined;
}

/** Lists what the hooks made on a ready apiserver that nothing else has written to yet. */
export async function captureSeed(server: string, tls: TlsFiles, kubeVersion: string): Promise<BootstrapSeed> {
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  try {
    const lists = await Promise.all(
      Object.entries(KINDS).map(async ([kind, k]) => {
        const r = await request(`${server}/${apiPrefix(k.apiVersion)}/${k.plural}${k.select}`, {
          tls,
          agent,
          timeoutMs: 10_000,
        });
        if (r.status !== 200) throw new Error(`listing ${k.plural}: HTTP ${r.status}`);
        const items = (JSON.parse(r.body) as { items: Array<Record<string, unknown>> }).items;
        return items.map((item) => seedObjectOf(kind, k, item));
      }),
    );
    const objects = lists.flat().filter((o) => o.kind !== 'PriorityClass' || PRIORITY_CLASSES.has(o.metadata.name));
    // What the next Up would refuse is not saved (a hook of another release making something else).
    return parseSeed(JSON.stringify({ kubeVersion, objects }), kubeVersion);
  } finally {
    agent.destroy();
  }
}

function seedObjectOf(kind: string, k: Kind, item: Record<string, unknown>): SeedObject {
  const { metadata: m, ...spec } = item as { metadata: SeedObject['metadata'] } & Record<string, unknown>;
  // An aggregated role's rules are the controller-manager's to fill; the hook creates it without any.
  if (spec['aggregationRule']) spec['rules'] = [];
  return {
    ...spec,
    apiVersion: k.apiVersion,
    kind,
    metadata: {
      name: m.name,
      ...(m.namespace !== undefined ? { namespace: m.namespace } : {}),
      ...(m.labels ? { labels: m.labels } : {}),
      ...(m.annotations ? { annotations: m.annotations } : {}),
    },
  };
}

export function writeSeed(path: string, seed: BootstrapSeed): void {
  writeFileAtomic(path, `${JSON.stringify(seed)}\n`);
}

/** Creates the seed's objects (and their namespaces); one already there is fine. */
export async function applySeed(server: string, tls: TlsFiles, seed: BootstrapSeed): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const create = async (collection: string, body: object, what: string) => {
    const r = await request(`${server}/${collection}`, { method: 'POST', json: body, tls, agent, timeoutMs: 10_000 });
    if (r.status !== 201 && r.status !== 409)
      throw new Error(`creating ${what}: HTTP ${r.status}: ${apiMessage(r.body)}`);
  };
  try {
    const namespaces = [...new Set(seed.objects.flatMap((o) => (o.metadata.namespace ? [o.metadata.namespace] : [])))];
    await Promise.all(
      namespaces.map((ns) =>
        create('api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, `namespace ${ns}`),
      ),
    );
    await Promise.all(
      seed.objects.map((o) => {
        const k = KINDS[o.kind]!;
        const ns = o.metadata.namespace ? `namespaces/${o.metadata.namespace}/` : '';
        return create(`${apiPrefix(k.apiVersion)}/${ns}${k.plural}`, o, `${o.kind} ${o.metadata.name}`);
      }),
    );
  } finally {
    agent.destroy();
  }
}

/** /readyz without the checks of the seeded hooks. */
export function readyzWithoutSeededHooks(server: string): string {
  return `${server}/readyz?${SEEDED_HOOK_CHECKS.map((c) => `exclude=${encodeURIComponent(c)}`).join('&')}`;
}

function apiPrefix(apiVersion: string): string {
  return apiVersion.includes('/') ? `apis/${apiVersion}` : `api/${apiVersion}`;
}
