// The official Kubernetes release layout (build/lib/release.sh, hack/lib/golang.sh): which binary goes
// into which tarball, and the checksum files next to every artifact.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import * as tar from 'tar';

export const SERVER_BINARIES = [
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kube-proxy',
  'kubelet',
  'kubeadm',
  'kube-log-runner',
  'kube-aggregator',
  'apiextensions-apiserver',
  'mounter',
] as const;
export const CLIENT_BINARIES = ['kubectl', 'kubectl-convert'] as const;
export const NODE_BINARIES = ['kube-proxy', 'kubeadm', 'kubelet', 'kube-log-runner'] as const;
export const TEST_BINARIES = ['ginkgo', 'e2e.test', 'go-runner'] as const;
export const TEST_PORTABLE_PATHS = [
  'test/e2e/testing-manifests',
  'test/kubemark',
  'hack/e2e-internal',
  'hack/get-build.sh',
  'hack/ginkgo-e2e.sh',
  'hack/lib',
] as const;

export function platformTag(goos: string, goarch: string): string {
  return `${goos}-${goarch}`;
}

/** The tarballs of a release for one platform, in upload order (kubernetes.tar.gz last, as markers follow it). */
export function releaseTarballs(goos: string, goarch: string): string[] {
  const p = platformTag(goos, goarch);
  return [
    'kubernetes-src.tar.gz',
    'kubernetes-manifests.tar.gz',
    `kubernetes-server-${p}.tar.gz`,
    `kubernetes-client-${p}.tar.gz`,
    `kubernetes-node-${p}.tar.gz`,
    `kubernetes-test-${p}.tar.gz`,
    'kubernetes-test-portable.tar.gz',
    'kubernetes.tar.gz',
  ];
}

/** `tar czf NAME -C dir kubernetes --owner=0 --group=0` with a well-kept library. */
export async function createTarball(file: string, stageDir: string, entries: string[] = ['kubernetes']): Promise<void> {
  // --owner=0 --group=0, whoever builds: zero the owner in the stat the entry is made from.
  const owner0 = (_path: string, st: { uid: number; gid: number }) => {
    st.uid = 0;
    st.gid = 0;
    return true;
  };
  await tar.c({ gzip: { level: 6 }, file, cwd: stageDir, filter: owner0 as never }, entries);
}

export async function fileDigests(path: string): Promise<{ sha256: string; sha512: string; size: number }> {
  const h256 = createHash('sha256');
  const h512 = createHash('sha512');
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    h256.update(chunk as Buffer);
    h512.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: h256.digest('hex'), sha512: h512.digest('hex'), size };
}

/** F.sha256 / F.sha512 hold only the lowercase hex digest, no newline (kubernetes/release). */
export async function writeChecksumFiles(path: string): Promise<{ sha256: string; sha512: string; size: number }> {
  const d = await fileDigests(path);
  await writeFile(`${path}.sha256`, d.sha256);
  await writeFile(`${path}.sha512`, d.sha512);
  return d;
}
