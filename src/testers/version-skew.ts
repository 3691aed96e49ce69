// --check-version-skew, beyond kubetest: $KUBECTL carries --match-server-version, and e2e runs the release's
// kubectl, so when the release and the server differ kubectl calls fail one spec after another. We ask both
// versions once before the tests and fail the Test step at once, naming both, instead.
import type { StepContext } from '../api/context.js';
import { StepFailure } from '../process/errors.js';

interface VersionInfo {
  gitVersion?: string;
  gitCommit?: string;
  gitTreeState?: string;
}

/** $KUBECTL (kubetest exports it as one space-joined string) without its --match-server-version. */
export function kubectlFromEnv(env: NodeJS.ProcessEnv): string[] {
  return (env['KUBECTL'] ?? '').split(' ').filter((a) => a !== '' && !a.startsWith('--match-server-version'));
}

/** kubectl's own rule (discovery.MatchesServerVersion): git version, commit and tree state all equal. */
export function skewBetween(client: VersionInfo, server: VersionInfo): string | undefined {
  const same =
    client.gitVersion === server.gitVersion &&
    client.gitCommit === server.gitCommit &&
    client.gitTreeState === server.gitTreeState;
  if (same) return undefined;
  // Same version, other build: the commit and tree state tell them apart.
  const detail = client.gitVersion === server.gitVersion;
  const show = (v: VersionInfo) =>
    detail ? `${v.gitVersion} (commit ${v.gitCommit ?? '?'}, ${v.gitTreeState ?? '?'})` : (v.gitVersion ?? 'unknown');
  return `kubectl ${show(client)} and the server ${show(server)} differ`;
}

/**
 * `kubectl` is the release's (else $KUBECTL's); it talks to the cluster through the step's $KUBECONFIG. Only a
 * skew both versions prove fails the step: when they cannot be read, the tests run and show what is wrong.
 */
export async function checkVersionSkew(sc: StepContext, releaseKubectl: string | undefined): Promise<void> {
  const kubectl = releaseKubectl ? [releaseKubectl] : kubectlFromEnv(sc.env);
  if (kubectl.length === 0) return;
  let doc: { clientVersion?: VersionInfo; serverVersion?: VersionInfo } = {};
  try {
    const r = await sc.exec([...kubectl, '--match-server-version=false', 'version', '-o', 'json'], {
      captureStdout: true,
      verbose: false,
    });
    doc = JSON.parse(r.stdout) as typeof doc;
  } catch (e) {
    if (sc.signal.aborted) throw e;
  }
  if (!doc?.clientVersion?.gitVersion || !doc.serverVersion?.gitVersion) {
    sc.log('--check-version-skew: kubectl version did not report both versions; the tests run without the check');
    return;
  }
  const skew = skewBetween(doc.clientVersion, doc.serverVersion);
  if (skew) {
    throw new StepFailure(
      `--check-version-skew: ${skew} (${kubectl[0]}): every kubectl call of the tests would fail; test with the ` +
        `cluster's release, or give --check-version-skew=false`,
    );
  }
}
