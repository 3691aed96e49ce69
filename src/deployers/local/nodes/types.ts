// The node seam of the local deployer: the control plane is the same for every node type; a NodeProvider
// resolves what its nodes need, asks for client certificates, and starts its nodes once the API is ready.
import type { StepContext } from '../../../api/context.js';
import type { ClusterPaths } from '../cluster.js';
import type { ClientIdentity, Pki } from '../pki.js';
import type { ComponentRecord } from '../state.js';

/** What the control plane hands a provider when its nodes may start. */
export interface NodeStart {
  sc: StepContext;
  clusterName: string;
  paths: ClusterPaths;
  pki: Pki;
  /** https://127.0.0.1:<port> */
  server: string;
  kubeVersion: string;
  kubectl: string;
  /** Writes a kubeconfig for one of the provider's client identities; returns its path. */
  kubeconfigFor(component: string, identity: string): string;
  /** Starts a daemon the cluster owns (recorded in the state file at once). */
  start(name: string, argv: string[], port?: number): Promise<ComponentRecord>;
  /** Waits for a daemon's check, quoting its log on failure. */
  /** Waits for `check`, logging "<name> <reached> in Ns" (reached: "ready" unless given). */
  ready(rec: ComponentRecord, check: () => Promise<boolean>, timeoutMs: number, reached?: string): Promise<void>;
}

export interface NodeProvider {
  /** --local-node-type */
  readonly type: string;
  /**
   * The nodes need only a serving API, not the end of its post-start hooks (RBAC bootstrap): they start as soon
   * as kube-apiserver serves, a second or more before it is ready.
   */
  readonly startsWhenServing?: boolean;
  /** Resolves (building when needed) what the nodes run, before anything starts. */
  prepare(sc: StepContext): Promise<void>;
  /** Client identities the nodes need from the cluster CA. */
  identities(): ClientIdentity[];
  /** Starts the nodes and registers them; returns one line for the log ("2 kwok node(s) Ready"). */
  start(n: NodeStart): Promise<string>;
  /** Extra kube-apiserver flags (files they name are written under the cluster dir); called before it starts. */
  apiserverArgs?(paths: ClusterPaths): string[];
  /**
   * Removes what the nodes left besides the recorded daemons (namespaces, mounts, cgroups, processes the
   * daemons spawned away from their tree); called by teardown after the daemons are stopped. Idempotent.
   */
  cleanup?(clusterDir: string, log: (m: string) => void): Promise<void>;
}
