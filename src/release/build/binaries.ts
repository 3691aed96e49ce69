// What --build=module builds: every binary of the official release, by Go package.

export interface BinarySpec {
  name: string;
  pkg: string;
  /** Built with `go test -c` (e2e.test). */
  test?: boolean;
  /** No Kubernetes version stamping (ginkgo). */
  plain?: boolean;
}

export function kubeBinaries(ginkgoVersion: string): BinarySpec[] {
  const k = 'k8s.io/kubernetes';
  return [
    { name: 'kube-apiserver', pkg: `${k}/cmd/kube-apiserver` },
    { name: 'kube-controller-manager', pkg: `${k}/cmd/kube-controller-manager` },
    { name: 'kube-scheduler', pkg: `${k}/cmd/kube-scheduler` },
    { name: 'kube-proxy', pkg: `${k}/cmd/kube-proxy` },
    { name: 'kubelet', pkg: `${k}/cmd/kubelet` },
    { name: 'kubectl', pkg: `${k}/cmd/kubectl` },
    { name: 'kubeadm', pkg: `${k}/cmd/kubeadm` },
    { name: 'kubectl-convert', pkg: `${k}/cmd/kubectl-convert` },
    { name: 'kube-log-runner', pkg: 'k8s.io/component-base/logs/kube-log-runner' },
    { name: 'kube-aggregator', pkg: 'k8s.io/kube-aggregator' },
    { name: 'apiextensions-apiserver', pkg: 'k8s.io/apiextensions-apiserver' },
    { name: 'mounter', pkg: `${k}/cluster/gce/gci/mounter` },
    { name: 'e2e.test', pkg: `${k}/test/e2e`, test: true },
    { name: 'go-runner', pkg: `${k}/test/conformance/image/go-runner`, plain: true },
    { name: 'ginkgo', pkg: `github.com/onsi/ginkgo/v2/ginkgo@${ginkgoVersion}`, plain: true },
  ];
}
